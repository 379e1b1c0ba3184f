/* leadgate: a mail and portal integration gateway for sales teams. */
#include <signal.h>
#include <stdlib.h>

#include <curl/curl.h>

#include "gateway/cli.h"

int
main(int argc, char **argv)
{
	/* libetpan writes to sockets without MSG_NOSIGNAL. */
	signal(SIGPIPE, SIG_IGN);
	/* Once, before any thread: the portal connectors use libcurl. */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return 70;	/* EX_SOFTWARE */
	return cli_main(argc, argv);
}
