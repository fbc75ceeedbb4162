// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * SIGINT, SIGTERM and SIGHUP during a change.  Dying at once would leave
 * a firmware transfer half sent (the next update then fails with FW
 * Transfer in Progress), no audit line, and a progress bar without its
 * newline.  The handler only notes the signal; the code that waits or
 * sends looks at it, stops where that is safe, aborts what can be
 * aborted, reads back and says what state the switch is in.
 */
#include <signal.h>
#include <string.h>

#include "cli.h"

static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
	caught = sig;
}

void change_catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	/* no SA_RESTART: a prompt's read returns, and sees the signal */
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

int change_signal(void)
{
	return caught;
}

int change_stopped_before_sending(const char *cmd)
{
	return cli_fail(cmd, EXIT_PENDING, "interrupted by SIG%s: nothing was sent",
			sigabbrev_np(caught) ? sigabbrev_np(caught) : "?");
}
