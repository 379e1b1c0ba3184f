#include <stdlib.h>

#include "connectors/imap_stream.h"

struct imap_stream {
	mailstream_low *inner;	/* everything is passed on to it */
	int eof;
};

static mailstream_low *
imap_stream_inner(mailstream_low *s)
{
	return ((struct imap_stream *)s->data)->inner;
}

static ssize_t
imap_stream_read(mailstream_low *s, void *buf, size_t count)
{
	ssize_t r = mailstream_low_read(imap_stream_inner(s), buf, count);

	/* End of file is never an answer an IMAP client waits for. */
	if (r == 0 && count > 0) {
		((struct imap_stream *)s->data)->eof = 1;
		return -1;
	}
	return r;
}

static ssize_t
imap_stream_write(mailstream_low *s, const void *buf, size_t count)
{
	return mailstream_low_write(imap_stream_inner(s), buf, count);
}

static int
imap_stream_close(mailstream_low *s)
{
	return mailstream_low_close(imap_stream_inner(s));
}

static int
imap_stream_get_fd(mailstream_low *s)
{
	return mailstream_low_get_fd(imap_stream_inner(s));
}

static void
imap_stream_free(mailstream_low *s)
{
	mailstream_low_free(imap_stream_inner(s));
	free(s->data);
	free(s);
}

static void
imap_stream_cancel(mailstream_low *s)
{
	mailstream_low_cancel(imap_stream_inner(s));
}

static struct mailstream_cancel *
imap_stream_get_cancel(mailstream_low *s)
{
	return mailstream_low_get_cancel(imap_stream_inner(s));
}

static carray *
imap_stream_chain(mailstream_low *s)
{
	return mailstream_low_get_certificate_chain(imap_stream_inner(s));
}

static int
imap_stream_setup_idle(mailstream_low *s)
{
	return mailstream_low_setup_idle(imap_stream_inner(s));
}

static int
imap_stream_unsetup_idle(mailstream_low *s)
{
	return mailstream_low_unsetup_idle(imap_stream_inner(s));
}

static int
imap_stream_interrupt_idle(mailstream_low *s)
{
	return mailstream_low_interrupt_idle(imap_stream_inner(s));
}

static mailstream_low_driver imap_stream_driver = {
	.mailstream_read = imap_stream_read,
	.mailstream_write = imap_stream_write,
	.mailstream_close = imap_stream_close,
	.mailstream_get_fd = imap_stream_get_fd,
	.mailstream_free = imap_stream_free,
	.mailstream_cancel = imap_stream_cancel,
	.mailstream_get_cancel = imap_stream_get_cancel,
	.mailstream_get_certificate_chain = imap_stream_chain,
	.mailstream_setup_idle = imap_stream_setup_idle,
	.mailstream_unsetup_idle = imap_stream_unsetup_idle,
	.mailstream_interrupt_idle = imap_stream_interrupt_idle,
};

int
imap_stream_guard(mailstream *s)
{
	mailstream_low *inner = mailstream_get_low(s), *outer;
	struct imap_stream *g;

	if (inner == NULL || inner->driver == &imap_stream_driver)
		return 0;
	if ((g = calloc(1, sizeof(*g))) == NULL)
		return -1;
	g->inner = inner;
	if ((outer = mailstream_low_new(g, &imap_stream_driver)) == NULL) {
		free(g);
		return -1;
	}
	/* Reads keep the inner layer's timeout; copy it for anyone asking. */
	mailstream_low_set_timeout(outer, mailstream_low_get_timeout(inner));
	mailstream_set_low(s, outer);
	return 0;
}

int
imap_stream_closed(mailstream *s)
{
	mailstream_low *low = s ? mailstream_get_low(s) : NULL;

	return low != NULL && low->driver == &imap_stream_driver &&
	    ((struct imap_stream *)low->data)->eof;
}
