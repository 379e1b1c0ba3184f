/* What follows a change of a lead (see followup.h). */
#include "core/agents.h"
#include "core/config.h"
#include "core/domain.h"
#include "core/pipeline.h"
#include "outbound/assign.h"
#include "outbound/followup.h"
#include "outbound/onphase.h"
#include "spool/spool.h"

int
followup_change(struct domain *d, const struct config *cfg, int64_t new_lead,
    struct err *e)
{
	struct spool *sp = NULL;
	int rc = LG_OK;

	if ((new_lead == 0 || cfg->agents.n == 0) &&
	    !pipelines_have_steps(d->pl))
		return onphase_run(d, cfg, NULL, NULL, e);
	if ((rc = spool_open(cfg->spool_dir, &sp, e)) != LG_OK)
		return rc;
	if (new_lead != 0)
		rc = assign_new_lead(d, cfg, sp, new_lead, e);
	if (rc == LG_OK)
		rc = onphase_run(d, cfg, sp, NULL, e);
	spool_close(sp);
	return rc;
}

int
followup_assign(struct domain *d, const struct config *cfg, int64_t lead_id,
    const char *agent, const struct agent **out, struct err *e)
{
	const struct agent *ag = NULL;
	struct spool *sp = NULL;
	int rc;

	if (out)
		*out = NULL;
	if ((rc = assign_lead(d, cfg, lead_id, agent, "by hand", &ag,
	    e)) != LG_OK)
		return rc;
	if ((rc = spool_open(cfg->spool_dir, &sp, e)) != LG_OK)
		return rc;
	rc = assign_notify(d, cfg, sp, lead_id, ag, "assigned", "assigned",
	    e);
	if (rc == LG_OK)
		rc = onphase_run(d, cfg, sp, NULL, e);
	spool_close(sp);
	if (out)
		*out = ag;
	return rc;
}
