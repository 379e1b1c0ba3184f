/*
 * A guard around libetpan's stream. libetpan 1.9.4 spins at 100% CPU
 * when the server closes the connection in the middle of a literal (a
 * message body): the socket read returns 0 for end of file, the literal
 * parser calls it again, forever, and the read timeout never fires
 * because a closed socket is always readable (seen here: a proxy cutting
 * a UID FETCH). The guard wraps the stream's low layer so that end of
 * file is a read error, which every libetpan caller handles.
 */
#ifndef LG_IMAP_STREAM_H
#define LG_IMAP_STREAM_H

#include <libetpan/libetpan.h>

/* Wrap s's current low layer (again if replaced); -1: no memory. */
int imap_stream_guard(mailstream *s);
/* 1 when a guarded stream saw the server close the connection. */
int imap_stream_closed(mailstream *s);

#endif
