// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * measure RUNS STATUS -- FLOOR [ARGS...] -- TOOL [ARGS...]
 *
 * Runs the floor and the tool one after the other, RUNS times each,
 * alternating, so that whatever else the machine does hits both alike; the
 * tool must exit with STATUS, the floor with 0.  Prints medians, one line:
 *
 *	wall_ratio own_cpu_us floor_wall_us floor_cpu_us floor_rss_kib
 *	tool_wall_us tool_cpu_us tool_rss_kib
 *
 * wall_ratio is the median of each pair's tool/floor ratio and own_cpu_us
 * of each pair's CPU difference, which drift between pairs cannot move;
 * cpu is the child's own user + system time (wait4), rss its peak.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

struct sample {
	double wall, cpu, rss;
};

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), by_value);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double us(struct timeval tv)
{
	return tv.tv_sec * 1e6 + tv.tv_usec;
}

/* One run of @argv with stdout to /dev/null; -1 unless it exits @want. */
static int run_once(char **argv, int want, struct sample *s)
{
	struct timespec t0, t1;
	struct rusage ru;
	int status;
	pid_t pid;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout))
			_exit(126);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &status, 0, &ru) < 0 ||
	    !WIFEXITED(status) || WEXITSTATUS(status) != want) {
		fprintf(stderr, "measure: %s: exit %d, want %d\n", argv[0],
			WIFEXITED(status) ? WEXITSTATUS(status) : -1, want);
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s->wall = (t1.tv_sec - t0.tv_sec) * 1e6 +
		  (t1.tv_nsec - t0.tv_nsec) / 1e3;
	s->cpu = us(ru.ru_utime) + us(ru.ru_stime);
	s->rss = ru.ru_maxrss;
	return 0;
}

static void print_medians(const struct sample *s, int runs, double *col)
{
	for (int i = 0; i < runs; i++)
		col[i] = s[i].wall;
	printf("%.1f ", median(col, runs));
	for (int i = 0; i < runs; i++)
		col[i] = s[i].cpu;
	printf("%.1f ", median(col, runs));
	for (int i = 0; i < runs; i++)
		col[i] = s[i].rss;
	printf("%.0f ", median(col, runs));
}

int main(int argc, char **argv)
{
	int runs = argc > 5 ? atoi(argv[1]) : 0;
	int want = argc > 5 ? atoi(argv[2]) : 0;
	char **floor_argv = argv + 4, **tool_argv = NULL;
	struct sample *floor_s, *tool_s;
	double *ratio, *own;

	for (int i = 4; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			argv[i] = NULL;
			tool_argv = argv + i + 1;
			break;
		}
	if (runs < 1 || strcmp(argv[3], "--") || !tool_argv ||
	    !*tool_argv || !*floor_argv) {
		fprintf(stderr, "usage: measure RUNS STATUS -- FLOOR [ARGS...] -- TOOL [ARGS...]\n");
		return 2;
	}
	floor_s = calloc(runs, sizeof(*floor_s));
	tool_s = calloc(runs, sizeof(*tool_s));
	ratio = calloc(runs, sizeof(*ratio));
	own = calloc(runs, sizeof(*own));
	if (!floor_s || !tool_s || !ratio || !own)
		return 1;
	for (int i = 0; i < runs; i++) {
		if (run_once(floor_argv, 0, &floor_s[i]) ||
		    run_once(tool_argv, want, &tool_s[i]))
			return 1;
		ratio[i] = tool_s[i].wall / floor_s[i].wall;
		own[i] = tool_s[i].cpu - floor_s[i].cpu;
	}
	/* the ratios first: print_medians reuses their array */
	printf("%.3f %.1f ", median(ratio, runs), median(own, runs));
	print_medians(floor_s, runs, ratio);
	print_medians(tool_s, runs, ratio);
	putchar('\n');
	return 0;
}
