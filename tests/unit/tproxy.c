#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tproxy.h"

static int
tproxy_read_port(const char *path)
{
	FILE *f = fopen(path, "r");
	int port = -1;

	if (f == NULL)
		return -1;
	if (fscanf(f, "%d", &port) != 1)
		port = -1;
	fclose(f);
	return port;
}

int
tproxy_start(struct tproxy *p, const char *dir, int target, const char *fault,
    const char *arg)
{
	const char *top = getenv("TOP");
	char script[1024], pfile[1024], tgt[16], owner[16];
	struct timespec nap = { 0, 50 * 1000 * 1000 };
	int i;

	snprintf(script, sizeof(script), "%s/tests/lib/tcpproxy.py",
	    top && *top ? top : ".");
	snprintf(pfile, sizeof(pfile), "%s/proxy.%d.port", dir, target);
	snprintf(tgt, sizeof(tgt), "%d", target);
	snprintf(owner, sizeof(owner), "%ld", (long)getpid());
	unlink(pfile);
	fflush(NULL);
	if ((p->pid = fork()) < 0)
		return -1;
	if (p->pid == 0) {
		execlp("python3", "python3", script, "--port-file", pfile,
		    "--target", tgt, "--owner", owner, fault ? fault : NULL,
		    arg, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 200; i++) {
		if ((p->port = tproxy_read_port(pfile)) > 0)
			return 0;
		nanosleep(&nap, NULL);
	}
	tproxy_stop(p);
	return -1;
}

void
tproxy_stop(struct tproxy *p)
{
	if (p->pid <= 0)
		return;
	kill(p->pid, SIGTERM);
	waitpid(p->pid, NULL, 0);
	p->pid = 0;
}
