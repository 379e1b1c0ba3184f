#include "connectors/source.h"

int
source_sink_sync(const struct connector_sink *sink, struct err *e)
{
	if (sink->dry_run || sink->sync == NULL)
		return LG_OK;
	return sink->sync(sink->arg, e);
}
