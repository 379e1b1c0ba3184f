/* leadgate: a mail and portal integration gateway for sales teams. */
#include <malloc.h>
#include <signal.h>
#include <stdlib.h>

#include <curl/curl.h>

#include "gateway/cli.h"

int
main(int argc, char **argv)
{
	/* libetpan writes to sockets without MSG_NOSIGNAL. */
	signal(SIGPIPE, SIG_IGN);
	/*
	 * glibc gives freed heap back (brk) as soon as 128 KiB sit free at
	 * its top, and takes it again on the next mail: a trim per mail
	 * or so in ingest, each a TLB flush and page faults (issue 17's
	 * perf). Keeping up to 32 MiB spares that; memory stays flat.
	 */
	mallopt(M_TRIM_THRESHOLD, 32 << 20);
	/* Once, before any thread: the portal connectors use libcurl. */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return 70;	/* EX_SOFTWARE */
	return cli_main(argc, argv);
}
