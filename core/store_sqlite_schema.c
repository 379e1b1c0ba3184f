/*
 * The schema as a list of migrations. Each runs once, in its own
 * transaction, and leaves PRAGMA user_version at its number. Never edit a
 * migration that has shipped: add a new one.
 */
#include <stddef.h>

#include "core/store_sqlite.h"

static const char migration_1[] =
    /* The CRM core: sources, contacts, leads, history, deals. */
    "CREATE TABLE sources ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    "  created_at TEXT NOT NULL);"
    "CREATE TABLE contacts ("
    "  id INTEGER PRIMARY KEY,"
    "  type TEXT NOT NULL CHECK (type IN ('person','company')),"
    "  kind TEXT NOT NULL CHECK (kind IN ('lead','client','partner')),"
    "  salutation TEXT, first_name TEXT, last_name TEXT, company TEXT,"
    "  company_id INTEGER REFERENCES contacts(id),"
    "  language TEXT, street TEXT, postcode TEXT, city TEXT,"
    "  custom TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(custom)),"
    "  prospect_state TEXT NOT NULL DEFAULT 'none'"
    "    CHECK (prospect_state IN ('none','current','lost')),"
    "  client_state TEXT NOT NULL DEFAULT 'none'"
    "    CHECK (client_state IN ('none','current','former')),"
    "  opt_out INTEGER NOT NULL DEFAULT 0,"
    "  invalid_address INTEGER NOT NULL DEFAULT 0,"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL);"
    "CREATE INDEX contacts_company ON contacts(company_id);"
    "CREATE INDEX contacts_name_postcode ON contacts("
    "  lower(first_name), lower(last_name), postcode);"
    "CREATE TABLE contact_emails ("
    "  contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,"
    "  pos INTEGER NOT NULL,"
    "  given TEXT NOT NULL,"
    "  norm TEXT NOT NULL,"
    "  PRIMARY KEY (contact_id, pos));"
    "CREATE INDEX contact_emails_norm ON contact_emails(norm);"
    "CREATE TABLE contact_phones ("
    "  contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,"
    "  pos INTEGER NOT NULL,"
    "  given TEXT NOT NULL,"
    "  norm TEXT NOT NULL,"
    "  PRIMARY KEY (contact_id, pos));"
    "CREATE INDEX contact_phones_norm ON contact_phones(norm);"
    "CREATE TABLE leads ("
    "  id INTEGER PRIMARY KEY,"
    "  contact_id INTEGER NOT NULL REFERENCES contacts(id),"
    "  pipeline TEXT NOT NULL,"
    "  phase_no INTEGER NOT NULL,"
    "  status TEXT NOT NULL CHECK (status IN ('open','won','lost')),"
    "  source_id INTEGER NOT NULL REFERENCES sources(id),"
    "  object_ref TEXT, portal_object_ref TEXT, portal TEXT, portal_ref TEXT,"
    "  connector TEXT, message TEXT,"
    "  custom TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(custom)),"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL,"
    "  closed_at TEXT);"
    "CREATE INDEX leads_contact ON leads(contact_id, status);"
    "CREATE INDEX leads_phase ON leads(pipeline, phase_no);"
    "CREATE INDEX leads_source ON leads(source_id);"
    "CREATE INDEX leads_object ON leads(contact_id, object_ref);"
    "CREATE TABLE history ("
    "  id INTEGER PRIMARY KEY,"
    "  lead_id INTEGER REFERENCES leads(id),"
    "  contact_id INTEGER NOT NULL REFERENCES contacts(id),"
    "  at TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  phase_before INTEGER, phase_after INTEGER,"
    "  remark TEXT);"
    "CREATE INDEX history_lead ON history(lead_id);"
    "CREATE INDEX history_contact ON history(contact_id);"
    "CREATE TABLE deals ("
    "  id INTEGER PRIMARY KEY,"
    "  lead_id INTEGER NOT NULL REFERENCES leads(id),"
    "  contact_id INTEGER NOT NULL REFERENCES contacts(id),"
    "  company_id INTEGER REFERENCES contacts(id),"
    "  title TEXT NOT NULL,"
    "  object_ref TEXT,"
    "  custom TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(custom)),"
    "  created_at TEXT NOT NULL);"
    "CREATE INDEX deals_lead ON deals(lead_id);";

static const char migration_2[] =
    /* Ingest: inquiries keyed for deduplication, mailbox state, quarantine. */
    "CREATE TABLE quarantine ("
    "  id INTEGER PRIMARY KEY,"
    "  at TEXT NOT NULL,"
    "  connector TEXT,"
    "  kind TEXT NOT NULL DEFAULT 'mail' CHECK (kind IN ('mail','json')),"
    "  inquiry_key TEXT,"
    "  reason TEXT NOT NULL,"
    "  location TEXT,"
    "  raw BLOB NOT NULL,"
    "  state TEXT NOT NULL DEFAULT 'held'"
    "    CHECK (state IN ('held','retried','dropped')),"
    "  meta TEXT NOT NULL DEFAULT '{}');"
    "CREATE INDEX quarantine_state ON quarantine(state);"
    "CREATE TABLE inquiries ("
    "  id INTEGER PRIMARY KEY,"
    "  key TEXT NOT NULL UNIQUE,"
    "  connector TEXT,"
    "  sender TEXT,"
    "  lead_id INTEGER REFERENCES leads(id),"
    "  contact_id INTEGER REFERENCES contacts(id),"
    "  quarantine_id INTEGER REFERENCES quarantine(id),"
    "  rule TEXT,"
    "  decision TEXT,"
    "  received_at TEXT NOT NULL);"
    "CREATE INDEX inquiries_sender ON inquiries(sender, received_at);"
    "CREATE INDEX inquiries_lead ON inquiries(lead_id);"
    "CREATE TABLE mailbox_state ("
    "  connector TEXT NOT NULL,"
    "  folder TEXT NOT NULL,"
    "  uidvalidity INTEGER NOT NULL,"
    "  PRIMARY KEY (connector, folder));"
    "CREATE TABLE mailbox_uids ("
    "  connector TEXT NOT NULL,"
    "  folder TEXT NOT NULL,"
    "  uidvalidity INTEGER NOT NULL,"
    "  uid INTEGER NOT NULL,"
    "  PRIMARY KEY (connector, folder, uidvalidity, uid)) WITHOUT ROWID;"
    /* Connector bookkeeping: portal cursors, last poll, counters. */
    "CREATE TABLE connector_state ("
    "  connector TEXT NOT NULL,"
    "  key TEXT NOT NULL,"
    "  value TEXT,"
    "  PRIMARY KEY (connector, key)) WITHOUT ROWID;"
    /* Outbound: every message leadgate sends, keyed so none goes twice. */
    "CREATE TABLE campaigns ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  filter TEXT NOT NULL,"
    "  template TEXT NOT NULL,"
    "  advance_to TEXT,"
    "  matched INTEGER NOT NULL DEFAULT 0,"
    "  queued INTEGER NOT NULL DEFAULT 0,"
    "  skipped INTEGER NOT NULL DEFAULT 0,"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL);"
    "CREATE TABLE outgoing ("
    "  id INTEGER PRIMARY KEY,"
    "  dedup_key TEXT NOT NULL UNIQUE,"
    "  lead_id INTEGER REFERENCES leads(id),"
    "  contact_id INTEGER REFERENCES contacts(id),"
    "  template TEXT,"
    "  rule TEXT,"
    "  campaign_id INTEGER REFERENCES campaigns(id),"
    "  sender TEXT NOT NULL,"
    "  rcpt TEXT NOT NULL,"
    "  spool_name TEXT,"
    "  state TEXT NOT NULL DEFAULT 'queued'"
    "    CHECK (state IN ('queued','deferred','sent','failed','cancelled')),"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  next_attempt INTEGER NOT NULL DEFAULT 0,"
    "  last_reply TEXT,"
    "  advance_pipeline TEXT,"
    "  advance_phase INTEGER,"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL,"
    "  sent_at TEXT);"
    "CREATE INDEX outgoing_due ON outgoing(state, next_attempt);"
    "CREATE INDEX outgoing_rcpt ON outgoing(rcpt, rule, created_at);"
    "CREATE INDEX outgoing_campaign ON outgoing(campaign_id, contact_id);"
    "CREATE TABLE suppression ("
    "  address TEXT PRIMARY KEY,"
    "  reason TEXT NOT NULL,"
    "  at TEXT NOT NULL) WITHOUT ROWID;"
    "ALTER TABLE contacts ADD COLUMN unsub_token TEXT;"
    "CREATE UNIQUE INDEX contacts_unsub_token ON contacts(unsub_token)"
    "  WHERE unsub_token IS NOT NULL;";

/*
 * Bulk mail: one message per contact may stand for several leads, each
 * advanced (in its own pipeline) once the message is accepted.
 */
static const char migration_3[] =
    "CREATE TABLE outgoing_leads ("
    "  outgoing_id INTEGER NOT NULL REFERENCES outgoing(id),"
    "  lead_id INTEGER NOT NULL REFERENCES leads(id),"
    "  advance_phase INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (outgoing_id, lead_id)) WITHOUT ROWID;";

/*
 * Bounces and complaints: every outgoing message keeps its Message-ID,
 * so that a report returning it can be matched; each report applied is
 * recorded once per message, kind and action (what makes applying it
 * again a no-op), and soft bounces are counted per address from here.
 */
static const char migration_4[] =
    "ALTER TABLE outgoing ADD COLUMN message_id TEXT;"
    "CREATE INDEX outgoing_message_id ON outgoing(message_id)"
    "  WHERE message_id IS NOT NULL;"
    "CREATE TABLE bounces ("
    "  id INTEGER PRIMARY KEY,"
    "  at TEXT NOT NULL,"
    "  report_key TEXT NOT NULL,"
    "  outgoing_id INTEGER NOT NULL REFERENCES outgoing(id),"
    "  address TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('hard','soft','complaint')),"
    "  action TEXT NOT NULL,"
    "  status TEXT,"
    "  diagnostic TEXT,"
    "  reporter TEXT,"
    "  UNIQUE (outgoing_id, kind, action));"
    "CREATE INDEX bounces_address ON bounces(address, kind, at);";

/*
 * Threading: what we wrote as the subject of each message, so that a
 * reply naming no Message-ID of ours can be matched by its subject.
 */
static const char migration_5[] =
    "ALTER TABLE outgoing ADD COLUMN subject TEXT;"
    "CREATE INDEX outgoing_contact ON outgoing(contact_id)"
    "  WHERE contact_id IS NOT NULL;";

/*
 * The mail kept: the raw inbound message of every inquiry and answer
 * that reached a lead, as a file of the archive folder (core/archive.h)
 * named by the SHA-256 of its content; one row per mail received, so
 * the same content twice is two rows and one file.
 */
static const char migration_6[] =
    "CREATE TABLE archive_mails ("
    "  id INTEGER PRIMARY KEY,"
    "  received_at TEXT NOT NULL,"
    "  kind TEXT NOT NULL DEFAULT 'mail' CHECK (kind IN ('mail','json')),"
    "  connector TEXT,"
    "  lead_id INTEGER REFERENCES leads(id),"
    "  contact_id INTEGER REFERENCES contacts(id),"
    "  inquiry_id INTEGER REFERENCES inquiries(id),"
    "  from_addr TEXT,"
    "  subject TEXT,"
    "  message_id TEXT,"
    "  size INTEGER NOT NULL,"
    "  sha256 TEXT NOT NULL);"
    "CREATE INDEX archive_mails_lead ON archive_mails(lead_id);"
    "CREATE INDEX archive_mails_sha256 ON archive_mails(sha256);"
    "CREATE INDEX archive_mails_received ON archive_mails(received_at);";

/*
 * Failures classified (util/smtpfail.h): the class of a message's
 * failure, by name, when it failed or a report about it came back.
 */
static const char migration_7[] =
    "ALTER TABLE outgoing ADD COLUMN fail_class TEXT;"
    "CREATE INDEX outgoing_fail_class ON outgoing(fail_class)"
    "  WHERE fail_class IS NOT NULL;";

/*
 * Delivery across crashes: an attempt is recorded (inflight, unix time,
 * and the boot it was made in) before the session starts, wire once its
 * data starts going out, both cleared with its result; unconfirmed counts
 * the attempts found without a result after a crash, and such a message
 * can be held for the admin. SQLite cannot change a CHECK list in place:
 * the table is copied into a new one, and the two tables that refer to it
 * are copied aside and back so that dropping it breaks no foreign key.
 */
static const char migration_8[] =
    "CREATE TEMP TABLE m8_outgoing_leads AS SELECT * FROM outgoing_leads;"
    "CREATE TEMP TABLE m8_bounces AS SELECT * FROM bounces;"
    "DROP TABLE outgoing_leads;"
    "DROP TABLE bounces;"
    "CREATE TABLE outgoing_m8 ("
    "  id INTEGER PRIMARY KEY,"
    "  dedup_key TEXT NOT NULL UNIQUE,"
    "  lead_id INTEGER REFERENCES leads(id),"
    "  contact_id INTEGER REFERENCES contacts(id),"
    "  template TEXT,"
    "  rule TEXT,"
    "  campaign_id INTEGER REFERENCES campaigns(id),"
    "  sender TEXT NOT NULL,"
    "  rcpt TEXT NOT NULL,"
    "  spool_name TEXT,"
    "  state TEXT NOT NULL DEFAULT 'queued'"
    "    CHECK (state IN ('queued','deferred','sent','failed','cancelled',"
    "    'held')),"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  next_attempt INTEGER NOT NULL DEFAULT 0,"
    "  last_reply TEXT,"
    "  advance_pipeline TEXT,"
    "  advance_phase INTEGER,"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL,"
    "  sent_at TEXT,"
    "  message_id TEXT,"
    "  subject TEXT,"
    "  inflight INTEGER NOT NULL DEFAULT 0,"
    "  inflight_boot TEXT,"
    "  wire INTEGER NOT NULL DEFAULT 0,"
    "  unconfirmed INTEGER NOT NULL DEFAULT 0,"
    "  fail_class TEXT);"
    "INSERT INTO outgoing_m8 (id, dedup_key, lead_id, contact_id, template,"
    "  rule, campaign_id, sender, rcpt, spool_name, state, attempts,"
    "  next_attempt, last_reply, advance_pipeline, advance_phase,"
    "  created_at, updated_at, sent_at, message_id, subject, fail_class)"
    "  SELECT id, dedup_key, lead_id, contact_id, template, rule,"
    "  campaign_id, sender, rcpt, spool_name, state, attempts,"
    "  next_attempt, last_reply, advance_pipeline, advance_phase,"
    "  created_at, updated_at, sent_at, message_id, subject, fail_class"
    "  FROM outgoing;"
    "DROP TABLE outgoing;"
    "ALTER TABLE outgoing_m8 RENAME TO outgoing;"
    "CREATE INDEX outgoing_due ON outgoing(state, next_attempt);"
    "CREATE INDEX outgoing_rcpt ON outgoing(rcpt, rule, created_at);"
    "CREATE INDEX outgoing_campaign ON outgoing(campaign_id, contact_id);"
    "CREATE INDEX outgoing_message_id ON outgoing(message_id)"
    "  WHERE message_id IS NOT NULL;"
    "CREATE INDEX outgoing_contact ON outgoing(contact_id)"
    "  WHERE contact_id IS NOT NULL;"
    "CREATE INDEX outgoing_fail_class ON outgoing(fail_class)"
    "  WHERE fail_class IS NOT NULL;"
    "CREATE TABLE outgoing_leads ("
    "  outgoing_id INTEGER NOT NULL REFERENCES outgoing(id),"
    "  lead_id INTEGER NOT NULL REFERENCES leads(id),"
    "  advance_phase INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (outgoing_id, lead_id)) WITHOUT ROWID;"
    "INSERT INTO outgoing_leads SELECT * FROM m8_outgoing_leads;"
    "CREATE TABLE bounces ("
    "  id INTEGER PRIMARY KEY,"
    "  at TEXT NOT NULL,"
    "  report_key TEXT NOT NULL,"
    "  outgoing_id INTEGER NOT NULL REFERENCES outgoing(id),"
    "  address TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('hard','soft','complaint')),"
    "  action TEXT NOT NULL,"
    "  status TEXT,"
    "  diagnostic TEXT,"
    "  reporter TEXT,"
    "  UNIQUE (outgoing_id, kind, action));"
    "INSERT INTO bounces SELECT * FROM m8_bounces;"
    "CREATE INDEX bounces_address ON bounces(address, kind, at);"
    "DROP TABLE m8_outgoing_leads;"
    "DROP TABLE m8_bounces;";

/*
 * 9: the HTTP API. Bearer tokens by the SHA-256 of their secret (the
 * secret itself is never stored), and the answer given to each web-form
 * request with a client key, so that a retried request gets the same
 * answer and makes no second lead.
 */
static const char migration_9[] =
    "CREATE TABLE api_tokens ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  scope TEXT NOT NULL CHECK (scope IN ('read','write','form')),"
    "  hash TEXT NOT NULL UNIQUE,"
    "  source TEXT,"
    "  created_at TEXT NOT NULL);"
    "CREATE TABLE api_idempotency ("
    "  token_id INTEGER NOT NULL REFERENCES api_tokens(id),"
    "  client_key TEXT NOT NULL,"
    "  status INTEGER NOT NULL,"
    "  body TEXT NOT NULL,"
    "  created_at TEXT NOT NULL,"
    "  PRIMARY KEY (token_id, client_key)) WITHOUT ROWID;"
    "CREATE INDEX api_idempotency_time ON api_idempotency(token_id,"
    "  created_at);";

/*
 * 10: webhooks out (outbound/webhook.h), an outbox of events, written by
 * triggers in the same transaction as the change that causes them, so
 * that a crash can neither lose one nor invent one, and no code path that
 * creates a lead, moves a phase, opts a contact out or holds an inquiry
 * can forget to emit. Each event has a random uid (the id receivers
 * dedup by; rowids could repeat in a new database). Per endpoint, a
 * cursor says up to which event deliveries were taken on, and a delivery
 * row per event taken keeps its state: pending, delivered or failed.
 * Times are the rows' own (clock_iso(), which tests pin).
 */
static const char migration_10[] =
    "CREATE TABLE webhook_events ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  uid TEXT NOT NULL UNIQUE,"
    "  type TEXT NOT NULL,"
    "  created_at TEXT NOT NULL,"
    "  data TEXT NOT NULL CHECK (json_valid(data)));"
    "CREATE TABLE webhook_cursors ("
    "  endpoint TEXT PRIMARY KEY,"
    "  last_event INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE webhook_deliveries ("
    "  endpoint TEXT NOT NULL,"
    "  event_id INTEGER NOT NULL REFERENCES webhook_events(id),"
    "  state TEXT NOT NULL DEFAULT 'pending'"
    "    CHECK (state IN ('pending','delivered','failed')),"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  next_attempt INTEGER NOT NULL DEFAULT 0,"
    "  last_status INTEGER NOT NULL DEFAULT 0,"
    "  last_error TEXT,"
    "  updated_at TEXT NOT NULL,"
    "  PRIMARY KEY (endpoint, event_id)) WITHOUT ROWID;"
    "CREATE INDEX webhook_deliveries_state ON webhook_deliveries("
    "  endpoint, state, event_id);"
    "CREATE TRIGGER webhook_lead_created AFTER INSERT ON leads BEGIN"
    "  INSERT INTO webhook_events (uid, type, created_at, data) VALUES ("
    "  lower(hex(randomblob(16))), 'lead.created', new.created_at,"
    "  json_object('lead_id', new.id, 'contact_id', new.contact_id,"
    "  'pipeline', new.pipeline, 'phase', new.phase_no,"
    "  'status', new.status,"
    "  'source', (SELECT name FROM sources WHERE id = new.source_id),"
    "  'object_ref', new.object_ref, 'portal', new.portal,"
    "  'portal_ref', new.portal_ref, 'connector', new.connector));"
    "END;"
    "CREATE TRIGGER webhook_lead_phase AFTER UPDATE OF pipeline, phase_no"
    "  ON leads WHEN old.phase_no IS NOT new.phase_no"
    "  OR old.pipeline IS NOT new.pipeline BEGIN"
    "  INSERT INTO webhook_events (uid, type, created_at, data) VALUES ("
    "  lower(hex(randomblob(16))), 'lead.phase_changed', new.updated_at,"
    "  json_object('lead_id', new.id, 'contact_id', new.contact_id,"
    "  'pipeline', new.pipeline, 'pipeline_before', old.pipeline,"
    "  'phase_before', old.phase_no, 'phase', new.phase_no,"
    "  'status_before', old.status, 'status', new.status));"
    "END;"
    "CREATE TRIGGER webhook_contact_unsubscribed AFTER UPDATE OF opt_out"
    "  ON contacts WHEN old.opt_out = 0 AND new.opt_out <> 0 BEGIN"
    "  INSERT INTO webhook_events (uid, type, created_at, data) VALUES ("
    "  lower(hex(randomblob(16))), 'contact.unsubscribed', new.updated_at,"
    "  json_object('contact_id', new.id, 'emails', (SELECT"
    "  json_group_array(norm) FROM (SELECT norm FROM contact_emails"
    "  WHERE contact_id = new.id ORDER BY pos))));"
    "END;"
    "CREATE TRIGGER webhook_inquiry_quarantined AFTER INSERT ON quarantine"
    "  BEGIN"
    "  INSERT INTO webhook_events (uid, type, created_at, data) VALUES ("
    "  lower(hex(randomblob(16))), 'inquiry.quarantined', new.at,"
    "  json_object('quarantine_id', new.id, 'connector', new.connector,"
    "  'kind', new.kind, 'inquiry_key', new.inquiry_key,"
    "  'reason', new.reason));"
    "END;";

/* The dashboard's users, their sessions and failed logins (gateway/dash). */
static const char migration_11[] =
    "CREATE TABLE users ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  role TEXT NOT NULL CHECK (role IN ('agent', 'admin')),"
    "  hash TEXT NOT NULL,"
    "  language TEXT,"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL);"
    "CREATE TABLE user_sessions ("
    "  hash TEXT PRIMARY KEY,"
    "  user_id INTEGER NOT NULL REFERENCES users(id),"
    "  csrf TEXT NOT NULL,"
    "  created INTEGER NOT NULL,"
    "  seen INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE INDEX user_sessions_user ON user_sessions(user_id);"
    "CREATE TABLE login_failures ("
    "  key TEXT NOT NULL,"
    "  at INTEGER NOT NULL);"
    "CREATE INDEX login_failures_key ON login_failures(key, at);"
    /* The funnel's one pass: a covering index in its grouping order. */
    "CREATE INDEX leads_funnel ON leads(pipeline, phase_no, source_id,"
    "  status, created_at);";

static const char migration_12[] =
    /* Objects (listings), their aliases, search profiles (issue 21). */
    "CREATE TABLE objects ("
    "  id INTEGER PRIMARY KEY,"
    "  ref TEXT NOT NULL UNIQUE,"
    "  title TEXT,"
    "  kind TEXT CHECK (kind IN ('sale','rent')),"
    "  type TEXT,"
    "  price REAL, rooms REAL, area REAL,"
    "  street TEXT, postcode TEXT, city TEXT,"
    "  state TEXT NOT NULL DEFAULT 'available'"
    "    CHECK (state IN ('available','reserved','sold','withdrawn')),"
    "  origin TEXT NOT NULL,"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL);"
    /* Every id an inquiry may name: the ref itself and the aliases. */
    "CREATE TABLE object_ids ("
    "  key TEXT NOT NULL PRIMARY KEY,"
    "  object_id INTEGER NOT NULL REFERENCES objects(id) ON DELETE CASCADE"
    ") WITHOUT ROWID;"
    "CREATE INDEX object_ids_object ON object_ids(object_id);"
    "CREATE INDEX leads_object_ref ON leads(object_ref);"
    "CREATE INDEX leads_portal_object_ref ON leads(portal_object_ref);"
    /* A lead's object: by its object_ref, else its portal_object_ref. */
    "CREATE VIEW lead_objects AS"
    "  SELECT l.id AS lead_id, coalesce("
    "    (SELECT i.object_id FROM object_ids i WHERE i.key = l.object_ref),"
    "    (SELECT i.object_id FROM object_ids i"
    "     WHERE i.key = l.portal_object_ref)) AS object_id"
    "  FROM leads l;"
    "CREATE TABLE search_profiles ("
    "  id INTEGER PRIMARY KEY,"
    "  contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,"
    "  kind TEXT, type TEXT,"
    "  price_min REAL, price_max REAL, rooms_min REAL, rooms_max REAL,"
    "  area_min REAL, area_max REAL,"
    "  postcodes TEXT, cities TEXT,"
    "  origin TEXT NOT NULL,"
    "  created_at TEXT NOT NULL);"
    "CREATE INDEX search_profiles_contact ON search_profiles(contact_id);";

/*
 * 13: assignment and automation at a phase. assign_turns keeps the
 * round-robin turn of each pool of agents (core/agents.h) across
 * restarts. phase_arrivals records every arrival of a lead in a phase
 * (a new lead in its first phase, every change of phase after): its id
 * is the arrival's, so the phase's on_phase steps run once per arrival
 * (done), and a later arrival in the same phase is a new one. The
 * triggers catch every path that moves a lead (commands, the API, a
 * sent mail's advance, a prospect's reply).
 */
static const char migration_13[] =
    "CREATE TABLE assign_turns ("
    "  pool TEXT PRIMARY KEY,"
    "  turns INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE phase_arrivals ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,"
    "  pipeline TEXT NOT NULL,"
    "  phase_no INTEGER NOT NULL,"
    "  at TEXT NOT NULL,"
    "  done INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX phase_arrivals_pending ON phase_arrivals(done, id);"
    "CREATE INDEX phase_arrivals_lead ON phase_arrivals(lead_id);"
    "CREATE TRIGGER phase_arrival_new AFTER INSERT ON leads BEGIN"
    "  INSERT INTO phase_arrivals (lead_id, pipeline, phase_no, at)"
    "  VALUES (new.id, new.pipeline, new.phase_no, new.created_at);"
    "END;"
    "CREATE TRIGGER phase_arrival_move AFTER UPDATE OF pipeline, phase_no"
    "  ON leads WHEN old.phase_no IS NOT new.phase_no"
    "  OR old.pipeline IS NOT new.pipeline BEGIN"
    "  INSERT INTO phase_arrivals (lead_id, pipeline, phase_no, at)"
    "  VALUES (new.id, new.pipeline, new.phase_no, new.updated_at);"
    "END;";

/*
 * 14: the contact's rights. Each erasure is recorded without personal
 * data: when, who (the Unix user or the API token), which contact id and
 * how many rows of each kind were erased (a JSON object).
 */
static const char migration_14[] =
    "CREATE TABLE erasures ("
    "  id INTEGER PRIMARY KEY,"
    "  at TEXT NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  contact_id INTEGER NOT NULL,"
    "  counts TEXT NOT NULL CHECK (json_valid(counts)));";

/* A paused campaign's queued mail waits (mail campaigns pause|resume). */
static const char migration_15[] =
    "ALTER TABLE campaigns ADD COLUMN paused_at TEXT;";

/*
 * 16: leases, so that several instances on one database share the work
 * (core/store_ops.h, lease_*): a named piece of work (a connector, the
 * delivery) is done by its holder while expires_at (unix seconds) is in
 * the future; the holder renews it, anyone may take it once it expired.
 */
static const char migration_16[] =
    "CREATE TABLE leases ("
    "  name TEXT PRIMARY KEY,"
    "  holder TEXT NOT NULL,"
    "  taken_at INTEGER NOT NULL,"
    "  renewed_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL) WITHOUT ROWID;";

/*
 * 17: several instances deliver at once. A due row is claimed by one
 * (owner: its spool, HOST:DIR) until claim_until (unix seconds), which
 * the claiming run extends while the row is in flight; another instance
 * takes an attempt in flight over only once its claim has run out.
 * outgoing_bodies holds a message's text where the store keeps it (the
 * PostgreSQL backend; SQLite keeps spool files and this table empty).
 */
static const char migration_17[] =
    "ALTER TABLE outgoing ADD COLUMN owner TEXT;"
    "ALTER TABLE outgoing ADD COLUMN claim_until INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE outgoing_bodies ("
    "  id INTEGER PRIMARY KEY REFERENCES outgoing(id) ON DELETE CASCADE,"
    "  body BLOB NOT NULL);";

/*
 * 18: the claim of due rows walks outgoing in id order within each
 * waiting state (store_sqlite_outgoing.c, sql_out_claim) and stops after
 * a batch, instead of reading and sorting every queued row each time.
 */
static const char migration_18[] =
    "CREATE INDEX outgoing_state_id ON outgoing(state, id);";

/*
 * 19: outgoing's CHECK on state as comparisons instead of an IN list.
 * SQLite 3.40 makes a temporary table of a list of more than two values
 * every time it checks one, that is at every insert and at every update
 * that writes the state: 1.7 us a row, twice per message of a campaign.
 * The same states are allowed. As in migration 8, the table is copied
 * into a new one, and the three tables that refer to it are copied aside
 * and back so that dropping it breaks no foreign key nor cascades.
 */
static const char migration_19[] =
    "CREATE TEMP TABLE m19_outgoing_leads AS SELECT * FROM outgoing_leads;"
    "CREATE TEMP TABLE m19_bounces AS SELECT * FROM bounces;"
    "CREATE TEMP TABLE m19_outgoing_bodies AS SELECT * FROM outgoing_bodies;"
    "DROP TABLE outgoing_leads;"
    "DROP TABLE bounces;"
    "DROP TABLE outgoing_bodies;"
    "CREATE TABLE outgoing_m19 ("
    "  id INTEGER PRIMARY KEY,"
    "  dedup_key TEXT NOT NULL UNIQUE,"
    "  lead_id INTEGER REFERENCES leads(id),"
    "  contact_id INTEGER REFERENCES contacts(id),"
    "  template TEXT,"
    "  rule TEXT,"
    "  campaign_id INTEGER REFERENCES campaigns(id),"
    "  sender TEXT NOT NULL,"
    "  rcpt TEXT NOT NULL,"
    "  spool_name TEXT,"
    "  state TEXT NOT NULL DEFAULT 'queued'"
    "    CHECK (state = 'queued' OR state = 'deferred' OR state = 'sent'"
    "    OR state = 'failed' OR state = 'cancelled' OR state = 'held'),"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  next_attempt INTEGER NOT NULL DEFAULT 0,"
    "  last_reply TEXT,"
    "  advance_pipeline TEXT,"
    "  advance_phase INTEGER,"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL,"
    "  sent_at TEXT,"
    "  message_id TEXT,"
    "  subject TEXT,"
    "  inflight INTEGER NOT NULL DEFAULT 0,"
    "  inflight_boot TEXT,"
    "  wire INTEGER NOT NULL DEFAULT 0,"
    "  unconfirmed INTEGER NOT NULL DEFAULT 0,"
    "  fail_class TEXT,"
    "  owner TEXT,"
    "  claim_until INTEGER NOT NULL DEFAULT 0);"
    "INSERT INTO outgoing_m19 (id, dedup_key, lead_id, contact_id, template,"
    "  rule, campaign_id, sender, rcpt, spool_name, state, attempts,"
    "  next_attempt, last_reply, advance_pipeline, advance_phase,"
    "  created_at, updated_at, sent_at, message_id, subject, inflight,"
    "  inflight_boot, wire, unconfirmed, fail_class, owner, claim_until)"
    "  SELECT id, dedup_key, lead_id, contact_id, template, rule,"
    "  campaign_id, sender, rcpt, spool_name, state, attempts,"
    "  next_attempt, last_reply, advance_pipeline, advance_phase,"
    "  created_at, updated_at, sent_at, message_id, subject, inflight,"
    "  inflight_boot, wire, unconfirmed, fail_class, owner, claim_until"
    "  FROM outgoing;"
    "DROP TABLE outgoing;"
    "ALTER TABLE outgoing_m19 RENAME TO outgoing;"
    "CREATE INDEX outgoing_due ON outgoing(state, next_attempt);"
    "CREATE INDEX outgoing_rcpt ON outgoing(rcpt, rule, created_at);"
    "CREATE INDEX outgoing_campaign ON outgoing(campaign_id, contact_id);"
    "CREATE INDEX outgoing_message_id ON outgoing(message_id)"
    "  WHERE message_id IS NOT NULL;"
    "CREATE INDEX outgoing_contact ON outgoing(contact_id)"
    "  WHERE contact_id IS NOT NULL;"
    "CREATE INDEX outgoing_fail_class ON outgoing(fail_class)"
    "  WHERE fail_class IS NOT NULL;"
    "CREATE INDEX outgoing_state_id ON outgoing(state, id);"
    "CREATE TABLE outgoing_leads ("
    "  outgoing_id INTEGER NOT NULL REFERENCES outgoing(id),"
    "  lead_id INTEGER NOT NULL REFERENCES leads(id),"
    "  advance_phase INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (outgoing_id, lead_id)) WITHOUT ROWID;"
    "INSERT INTO outgoing_leads SELECT * FROM m19_outgoing_leads;"
    "CREATE TABLE bounces ("
    "  id INTEGER PRIMARY KEY,"
    "  at TEXT NOT NULL,"
    "  report_key TEXT NOT NULL,"
    "  outgoing_id INTEGER NOT NULL REFERENCES outgoing(id),"
    "  address TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('hard','soft','complaint')),"
    "  action TEXT NOT NULL,"
    "  status TEXT,"
    "  diagnostic TEXT,"
    "  reporter TEXT,"
    "  UNIQUE (outgoing_id, kind, action));"
    "CREATE INDEX bounces_address ON bounces(address, kind, at);"
    "INSERT INTO bounces SELECT * FROM m19_bounces;"
    "CREATE TABLE outgoing_bodies ("
    "  id INTEGER PRIMARY KEY REFERENCES outgoing(id) ON DELETE CASCADE,"
    "  body BLOB NOT NULL);"
    "INSERT INTO outgoing_bodies SELECT * FROM m19_outgoing_bodies;"
    "DROP TABLE m19_outgoing_leads;"
    "DROP TABLE m19_bounces;"
    "DROP TABLE m19_outgoing_bodies;";

const struct sq_migration sq_migrations[] = {
	{ 1, migration_1 },
	{ 2, migration_2 },
	{ 3, migration_3 },
	{ 4, migration_4 },
	{ 5, migration_5 },
	{ 6, migration_6 },
	{ 7, migration_7 },
	{ 8, migration_8 },
	{ 9, migration_9 },
	{ 10, migration_10 },
	{ 11, migration_11 },
	{ 12, migration_12 },
	{ 13, migration_13 },
	{ 14, migration_14 },
	{ 15, migration_15 },
	{ 16, migration_16 },
	{ 17, migration_17 },
	{ 18, migration_18 },
	{ 19, migration_19 },
};

const size_t sq_nmigrations = sizeof(sq_migrations) / sizeof(sq_migrations[0]);

/*
 * The numbers ascend without a gap (a branch that adds one takes the
 * next free number when it is merged); the last is SQ_SCHEMA_LATEST.
 */
_Static_assert(sizeof(sq_migrations) / sizeof(sq_migrations[0]) ==
    SQ_SCHEMA_LATEST, "SQ_SCHEMA_LATEST must be the last migration");
