// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * measure N CMD [ARGS...]: run a command N times, one after the other, and
 * print per run: wall time, the child's own CPU time (user + system, from
 * wait4) and its peak RSS, as "wall_us cpu_us maxrss_kib" medians.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

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

int main(int argc, char **argv)
{
	int runs = argc > 2 ? atoi(argv[1]) : 0;
	double *wall, *cpu, *rss;

	if (runs < 1) {
		fprintf(stderr, "usage: measure RUNS CMD [ARGS...]\n");
		return 2;
	}
	wall = calloc(runs, sizeof(double));
	cpu = calloc(runs, sizeof(double));
	rss = calloc(runs, sizeof(double));
	for (int i = 0; i < runs; i++) {
		struct timespec t0, t1;
		struct rusage ru;
		int status;
		pid_t pid;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		pid = fork();
		if (pid == 0) {
			if (!freopen("/dev/null", "w", stdout))
				_exit(126);
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		if (pid < 0 || wait4(pid, &status, 0, &ru) < 0 ||
		    !WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "measure: %s failed\n", argv[2]);
			return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		wall[i] = (t1.tv_sec - t0.tv_sec) * 1e6 +
			  (t1.tv_nsec - t0.tv_nsec) / 1e3;
		cpu[i] = us(ru.ru_utime) + us(ru.ru_stime);
		rss[i] = ru.ru_maxrss;
	}
	printf("%.1f %.1f %.0f\n", median(wall, runs), median(cpu, runs),
	       median(rss, runs));
	return 0;
}
