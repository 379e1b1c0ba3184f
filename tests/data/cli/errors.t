# Every error is one line on standard error and a sysexits status.

$ leadgate
! usage: leadgate [-c CONFIG] [-v] COMMAND [ARGS...]
!
! Commands (each takes --help):
!   help                   list the commands, or show a command's or a group's help
!   contacts list          list contacts, optionally filtered
!   contacts show          show a contact with its leads and history
!   contacts add           add a person or a company; prints its id
!   contacts update        change a contact's fields (--email/--phone add addresses)
!   contacts export        everything held about a contact, as one JSON document
!   contacts erase         erase everything personal held about a contact
!   contacts merge         merge contact OTHER into contact KEEP
!   contacts import        add or complete contacts from a CSV file
!   contacts set-status    set a contact's prospect or client state by hand
!   contacts profile       add, list or remove a contact's search profiles
!   leads list             list leads, optionally filtered
!   leads show             show a lead with its history and its kept mails
!   leads add              add a lead to a contact; prints its id
!   leads move             move a lead to a phase (number or name)
!   leads action           record a history action; it moves the lead to its phase
!   leads note             record a note (or an action named NAME) without moving the lead
!   leads assign           assign a lead to an agent and mail the agent
!   leads update           change a lead's fields (its phase changes by move or action)
!   leads win              move a lead to its pipeline's won phase
!   leads lose             move a lead to its pipeline's lost phase
!   leads convert          convert a lead into a contact, a company and/or a deal
!   objects import         import objects from an OpenImmo XML or a CSV file
!   objects list           list objects
!   objects show           show an object with its contacts by phase
!   match                  write to the contacts whose search profiles match an object
!   sources list           list lead sources with their number of leads
!   sources add            add a lead source
!   sources rename         rename a source (its leads follow)
!   sources remove         remove a source that no lead uses
!   report                 count leads by phase, by source or by object
!   pipelines              show the pipelines and their phases
!   db migrate             create or migrate the database; print its schema version
!   db copy                copy a SQLite store into an empty PostgreSQL database, verified
!   config check           check the configuration file (and show every setting)
!   config get             print the value of settings (as postconf does)
!   config settings        list the settings leadgate knows, with type, default and use
!   template render        render a template file with a JSON context (to try it)
!   template preview       print exactly the message a contact would receive; send nothing
!   parse                  show what the extractors make of mails (no side effects)
!   ingest                 take raw messages (files or standard input) into leadgate
!   quarantine list        list what is kept in quarantine (held, by default)
!   quarantine show        show a quarantined inquiry and why it is there
!   quarantine retry       run a quarantined inquiry through the pipeline again
!   quarantine drop        give up on a quarantined inquiry (it stays listed as dropped)
!   mail bulk              write to every contact the filter selects, then deliver
!   mail campaigns         list the bulk mail campaigns; pause or resume one
!   mail show              print a kept inbound mail byte for byte, as it was received
!   mail attachment        write attachment N of kept mail ID, decoded, to standard output
!   mail purge             apply archive.keep_days to the kept mail and remove unused files
!   run                    run the daemon: connectors, autoresponder and delivery
!   status                 per connector the last poll, last error and counts; quarantine size
!   rules check            check a rule file, the profiles and the lexicon
!   rules test             show what the rules would do with a message, changing nothing
!   portals list           list the mail portal profiles
!   oauth login            consent once to an OAuth2 grant and store its refresh token
!   oauth status           per oauth block: its grant's state, when it was saved, who uses it
!   poll                   poll one connector once and print what it found
!   spool list             list outgoing messages
!   spool show             show an outgoing message with its text
!   spool retry            queue a failed, deferred or cancelled message again, due now
!   spool cancel           cancel a queued or deferred message
!   spool add              queue a complete message; prints its id
!   webhooks deliver       send the webhook events due now, each endpoint in order
!   webhooks list          list webhook deliveries, oldest event first
!   webhooks retry         make failed webhook deliveries pending again
!   webhooks purge         forget old webhook events every endpoint is done with
!   deliver                deliver every message due now, then exit
!   unsubscribe            unsubscribe a contact by its token, or an address
!   serve                  serve the HTTP API, web-form intake and one-click unsubscribe
!   token add              make an API token; prints it, once
!   token list             list the API tokens (names and scopes, never the tokens)
!   token remove           revoke an API token
!   user add               add a dashboard user; the password comes from F or stdin
!   user passwd            set a user's password (logs out its sessions), role or language
!   user remove            remove a dashboard user and its sessions
!   user list              list the dashboard users (never their hashes)
!
! The configuration is -c FILE, else $LEADGATE_CONFIG, else /etc/leadgate/leadgate.conf.
? 64

$ leadgate frobnicate
! leadgate: unknown command 'frobnicate' (try leadgate --help)
? 64

$ leadgate contacts frobnicate
! leadgate: contacts: unknown subcommand 'frobnicate' (one of: list, show, add, update, export, erase, merge, import, set-status, profile)
? 64

$ leadgate contacts list --colour
! leadgate: contacts list: unknown option '--colour' (see --help)
? 64

$ leadgate leads move 1
! usage: leadgate [-c CONFIG] leads move ID PHASE [--action NAME | --remark TEXT]
? 64

$ leadgate -c /nonexistent/leadgate.conf contacts list
! leadgate: contacts list: /nonexistent/leadgate.conf: No such file or directory
? 78

%file broken.conf
store = { path = "x.db"; };
smtp = { port = 99999; };
%end

$ leadgate -c broken.conf contacts list
! leadgate: contacts list: broken.conf:2: setting smtp.port: 99999 is out of range 1..65535
? 78

%file typo.conf
stroe = { path = "x.db"; };
%end

$ leadgate -c typo.conf contacts list
! leadgate: contacts list: typo.conf:1: unknown setting stroe (did you mean 'store'?)
? 78

%file syntax.conf
store = { path = "x.db" 
%end

$ leadgate -c syntax.conf contacts list
! leadgate: contacts list: syntax.conf:2: syntax error
? 78

# A corrupt database is refused and left as it was.
$ head -c 4096 /dev/zero | tr '\0' 'x' > leadgate.db && chmod 600 leadgate.db && sha256sum leadgate.db > before && leadgate contacts list; echo "status $?"; sha256sum -c before
status 65
leadgate.db: OK
! leadgate: contacts list: database $SESSION/leadgate.db is corrupt or not a leadgate database: file is not a database

# A read-only database (its owner may only read it): a clear error, nothing changed.
$ rm -f leadgate.db && leadgate sources add Homegate && chmod 755 . && chown nobody leadgate.db && chmod 400 leadgate.db; runuser -u nobody -- leadgate sources add Showroom; echo "status $?"; leadgate sources list
status 65
SOURCE    LEADS
Homegate      0
! leadgate: sources add: database $SESSION/leadgate.db is read-only

$ leadgate --version
leadgate 0.1.0

# Every command answers --help with its usage, and exits 0.
$ leadgate --help | sed -n 's/^  \([a-z-]*\)\( [a-z-]*\)\{0,1\}  .*/\1\2/p' | while read -r c; do leadgate $c --help | head -n 1 | grep -q '^usage: leadgate' || echo "no help: $c"; done; echo done
done
