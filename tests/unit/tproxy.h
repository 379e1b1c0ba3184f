/* tests/lib/tcpproxy.py from C tests: a proxy that breaks a connection. */
#ifndef LG_TPROXY_H
#define LG_TPROXY_H

#include <sys/types.h>

struct tproxy {
	pid_t pid;
	int port;
};

/*
 * Start a proxy to 127.0.0.1:target in dir; fault is the proxy's option
 * ("--cut-server-bytes", "--stall-server-bytes", "--cut-on-client") and
 * arg its value, or NULL for none. -1 when it did not come up.
 */
int tproxy_start(struct tproxy *p, const char *dir, int target,
    const char *fault, const char *arg);
void tproxy_stop(struct tproxy *p);

#endif
