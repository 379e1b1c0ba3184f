# Never the wrong sender: a portal's relay, a machine, the agency's own
# addresses and domains are never the prospect's. An inquiry left with
# none of the prospect's addresses or phones is quarantined with the
# addresses set aside, and never answered.

%file relay.eml
Return-Path: <bounces@envios.habitaclia.com>
From: habitaclia <solicitudes@envios.habitaclia.com>
To: info@muster-immo.example
Subject: Pis a Gràcia tiene una solicitud de información - habitaclia
Message-ID: <sol-4471@envios.habitaclia.com>
Content-Type: text/plain; charset=utf-8

Nombre: Jordi Puig
Mensaje: Me interesa el piso, ¿se puede visitar el sábado?

El equipo de habitaclia
%end

%file form.eml
From: Website <formular@muster-immo.example>
To: info@muster-immo.example
Subject: Kontaktformular
Message-ID: <form-1@muster-immo.example>
Content-Type: text/plain; charset=utf-8

Name: Peter Keller
Nachricht: Bitte um Rückruf zur Wohnung OBJ-1001.
%end

%file own.conf
store = { path = "own.db"; };
pipelines = "$TOP/etc/pipelines.conf";
rules = "$TOP/etc/rules.conf";
templates = "$TOP/etc/templates";
spool = "spool";
mail = { from = "Immobilien Muster AG <info@muster-immo.example>";
         own_domains = [ "muster-immo.example" ]; };
%end

# The relay is the portal's, whoever reads it: no address is left.
$ leadgate parse --json relay.eml | grep -E '"(extractor|portal|first_name|email)"'
  "extractor": "habitaclia",
  "portal": "habitaclia",
  "first_name": "Jordi",
  "email": null,
$ leadgate rules test relay.eml --json | grep -E '"(outcome|reason)"'
  "outcome": "quarantined",
  "reason": "the inquiry has neither an e-mail address nor a phone number of the prospect; not the prospect's: solicitudes@envios.habitaclia.com (a relay of habitaclia)",
$ leadgate ingest --connector inbox relay.eml 2>/dev/null
relay.eml: quarantined, quarantine 1: the inquiry has neither an e-mail address nor a phone number of the prospect; not the prospect's: solicitudes@envios.habitaclia.com (a relay of habitaclia)
$ leadgate spool list
no outgoing messages

# A form sent from the agency's own domain to that domain: a sender at
# the domain the mail went to is the agency's even without
# mail.own_domains; with it, the reason names the setting.
$ leadgate parse --json form.eml | grep '"email"'
  "email": null,
$ sed -i "s|\$TOP|$TOP|" own.conf
$ leadgate -c own.conf parse --json form.eml | grep '"email"'
  "email": null,
$ leadgate -c own.conf ingest --connector web form.eml 2>/dev/null
form.eml: quarantined, quarantine 1: the inquiry has neither an e-mail address nor a phone number of the prospect; not the prospect's: formular@muster-immo.example (our own domain)
$ leadgate -c own.conf config check --dump | grep own_domains
mail.own_domains = ["muster-immo.example"]
