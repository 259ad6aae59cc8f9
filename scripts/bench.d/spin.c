// SPDX-License-Identifier: GPL-2.0
/*
 * spin: the scripts/bench guest's idle soaker. Runs at SCHED_IDLE and
 * spins, so that the vCPU never halts while fio waits for an emulated
 * device: under -icount sleep=off a halted vCPU lets the guest clock jump
 * to the next timer, which would make elapsed guest time useless as an
 * instruction count. Every SIGUSR1 makes it print the CPU time it has used
 * so far (ns, CLOCK_PROCESS_CPUTIME_ID) on stdout, so the caller can take
 * it out of the elapsed time: what is left is the instructions the
 * workload ran. It prints "ready" first, once it can take the signal.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t asked;

static void on_usr1(int sig)
{
	(void)sig;
	asked = 1;
}

int main(void)
{
	struct sched_param sp = { 0 };
	struct timespec ts;

	if (sched_setscheduler(0, SCHED_IDLE, &sp)) {
		perror("spin: sched_setscheduler(SCHED_IDLE)");
		return 1;
	}
	signal(SIGUSR1, on_usr1);
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* Until this line, a SIGUSR1 would still kill it. */
	printf("ready\n");
	for (;;) {
		if (!asked)
			continue;
		asked = 0;
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
		printf("%lld\n", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
	}
}
