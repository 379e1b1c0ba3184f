# config check reports every mistake of the configuration, one error line
# each at its file and line, and exits 78; other commands name the first.

%file broken.conf
store = { path = "x.db"; busy_timeout_ms = "5s"; };
smtp = { port = 99999; starttls = "always"; tls_verify = 1; };
stroe = { path = "y.db"; };
delivery = { give_up = 3000000000; };
mail = { own_addresses = "info@example.com"; };
log = "debug";
%end

$ leadgate -c broken.conf config check
! broken.conf:1: setting store.busy_timeout_ms: expected an integer
! broken.conf:2: setting smtp.port: 99999 is out of range 1..65535
! broken.conf:2: setting smtp.starttls: 'always' is not one of off|when-offered|required
! broken.conf:2: setting smtp.tls_verify: expected true or false
! broken.conf:3: unknown setting stroe (did you mean 'store'?)
! broken.conf:4: setting delivery.give_up: -1294967296 is out of range 1..31536000 (beyond 2147483647 write the number with an L suffix)
! broken.conf:5: setting mail.own_addresses: expected a list of strings
! broken.conf:6: setting log: expected a block { ... }
? 78

$ leadgate -c broken.conf contacts list
! leadgate: contacts list: broken.conf:1: setting store.busy_timeout_ms: expected an integer
? 78

# Every block of every connector: each mistake with the connector's name,
# and the ones found across settings ('path' is required) after those of
# the settings themselves.
%file blocks.conf
connectors = (
  {
    name = "inbox";
    type = "imap";
    host = "imap.example.com";
    port = 70000;
    tls = "ssl";
    user = "leads@example.com";
    password_file = "imap.pw";
    folders = [ "INBOX", "INBOX" ];
    idle = "yes";
    hots = "imap.example.com";
  },
  {
    name = "local";
    type = "maildir";
    interval = 0;
    folder = "INBOX";
  },
  {
    name = "website";
    type = "portal";
    base_url = "https://www.example.com";
    interval = "often";
    auth = { type = "digest"; };
    timeouts = { total = 0; };
    id = "id";
    fields = { emial = "/email"; phone = "/phone"; };
  }
);
%end

$ cat leadgate.conf blocks.conf > conns.conf && printf 'pw\n' > imap.pw && chmod 600 imap.pw && leadgate -c conns.conf config check
! conns.conf:18: imap connector 'inbox': port: 70000 is out of range 1..65535
! conns.conf:19: imap connector 'inbox': tls: expected one of "implicit", "starttls", "none"
! conns.conf:22: imap connector 'inbox': folders: 'INBOX' is listed twice
! conns.conf:23: imap connector 'inbox': idle: expected true or false
! conns.conf:24: imap connector 'inbox': unknown setting 'hots' (did you mean 'host'?)
! conns.conf:29: maildir connector 'local': interval: 0 is out of range 1..86400
! conns.conf:30: maildir connector 'local': unknown setting 'folder'
! conns.conf:26: maildir connector 'local': 'path' is required
! conns.conf:36: connector website: interval must be an integer
! conns.conf:37: connector website: auth.type: 'digest' is not one of none|api_key|basic|bearer|oauth2
! conns.conf:38: connector website: timeouts.total: 0 is out of range 1..3600
! conns.conf:39: connector website: id: JSON pointer 'id' must start with '/'
! conns.conf:40: connector website: fields: 'emial' is not an inquiry field (use custom = { ... } for anything else)
! conns.conf:40: connector website: fields: 'phone' is not an inquiry field (use custom = { ... } for anything else)
! conns.conf:32: connector website: 'source' is required
? 78

# poll names the first mistake only.
$ leadgate -c conns.conf poll --connector inbox --dry-run
! leadgate: poll: conns.conf:18: imap connector 'inbox': port: 70000 is out of range 1..65535
? 78

# The rule file's mistakes are the configuration's too.
%file bad-rules.conf
dedup = { email = "yes"; phone = 1; fuzzy = true; };
rules = (
  { name = "a"; pipeline = "boats"; },
  { name = "b"; colour = "red"; }
);
%end

$ sed 's|^rules = .*|rules = "bad-rules.conf";|' leadgate.conf > r.conf && leadgate -c r.conf config check
! ./bad-rules.conf:1: 'email' takes true or false
! ./bad-rules.conf:1: 'phone' takes true or false
! ./bad-rules.conf:1: unknown key 'fuzzy' in dedup
! ./bad-rules.conf:3: unknown pipeline 'boats'
! ./bad-rules.conf:4: unknown key 'colour' in a rule
? 78

# The tables the configuration is checked against.
$ leadgate config settings | grep ':$'
main:
imap:
maildir:
portal:
agent:
assign:
webhook:
oauth:

$ leadgate config settings imap | sed -n '1p; /^port /p; /^tls /p'
NAME           TYPE                                    DEFAULT                         DOC
port           integer 1..65535                        (993 or 143)                    993 with tls = "implicit", else 143
tls            choice implicit|starttls|none           implicit                        none is only allowed for host 127.0.0.1

$ leadgate config settings smtp
! leadgate: config settings: no settings table 'smtp' (one of: main, imap, maildir, portal, agent, assign, webhook, oauth)
? 64

# --dump: every setting, then each connector's as TYPE.NAME.SETTING;
# --non-default only what differs from the default (a default taken from
# another setting, such as max_size, counts as none).
$ mkdir -p md/new md/cur md/tmp && { cat leadgate.conf; echo 'smtp = { port = 2525; }; connectors = ( { name = "local"; type = "maildir"; path = "md"; interval = 30; } );'; } > md.conf

$ leadgate -c md.conf config check --dump | grep -e '^smtp.port ' -e '^maildir\.'
smtp.port = 2525
maildir.local.path = "./md"
maildir.local.interval = 30
maildir.local.max_size = 26214400

$ leadgate -c md.conf config check --dump --non-default | grep -v -e '^mail\.' -e "$TOP" -e "$PWD"
store.default_country = "CH"
log.level = "warn"
smtp.port = 2525
maildir.local.path = "./md"
maildir.local.interval = 30
maildir.local.max_size = 26214400

# config get KEY...: the value in effect, postconf-like; the same names.
$ leadgate -c md.conf config get smtp.port smtp.host maildir.local.interval
smtp.port = 2525
smtp.host = "localhost"
maildir.local.interval = 30

$ leadgate -c md.conf config get smtp.prot
! leadgate: config get: unknown setting 'smtp.prot' (did you mean 'smtp.port'?)
? 64

$ leadgate -c md.conf config get maildir.locl.path
! leadgate: config get: unknown setting 'maildir.locl.path' (did you mean 'maildir.local.path'?)
? 64

$ leadgate -c md.conf config get nothing.like.this
! leadgate: config get: unknown setting 'nothing.like.this' (see leadgate config check --dump)
? 64

# A misspelt block name gets its hint too.
$ { cat leadgate.conf; echo 'smpt = { port = 25; };'; } > smpt.conf && leadgate -c smpt.conf config check
! smpt.conf:13: unknown setting smpt (did you mean 'smtp'?)
? 78

# Once the file itself reads, every other part is checked, each with all
# its mistakes: the rule file, then the connector blocks.
$ { cat leadgate.conf; echo 'connectors = ( { name = "local"; type = "maildir"; pth = "md"; } );'; } | sed 's|^rules = .*|rules = "bad-rules.conf";|' > two.conf && leadgate -c two.conf config check
! ./bad-rules.conf:1: 'email' takes true or false
! ./bad-rules.conf:1: 'phone' takes true or false
! ./bad-rules.conf:1: unknown key 'fuzzy' in dedup
! ./bad-rules.conf:3: unknown pipeline 'boats'
! ./bad-rules.conf:4: unknown key 'colour' in a rule
! two.conf:13: maildir connector 'local': unknown setting 'pth' (did you mean 'path'?)
! two.conf:13: maildir connector 'local': 'path' is required
? 78
