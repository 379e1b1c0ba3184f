# Every group takes --help (and -h): its subcommands from the command
# table, on standard output, exit 0.
$ leadgate contacts --help
usage: leadgate [-c CONFIG] contacts SUBCOMMAND [ARGS...]

Subcommands (each takes --help):
  list                   list contacts, optionally filtered
  show                   show a contact with its leads and history
  add                    add a person or a company; prints its id
  update                 change a contact's fields (--email/--phone add addresses)
  export                 everything held about a contact, as one JSON document
  erase                  erase everything personal held about a contact
  merge                  merge contact OTHER into contact KEEP
  import                 add or complete contacts from a CSV file
  set-status             set a contact's prospect or client state by hand
  profile                add, list or remove a contact's search profiles

$ leadgate spool -h | head -n 4
usage: leadgate [-c CONFIG] spool SUBCOMMAND [ARGS...]

Subcommands (each takes --help):
  list                   list outgoing messages

# Every group of the command list answers --help with its subcommands.
$ for g in $(leadgate help --commands | sed -n 's/ .*//p' | sort -u); do leadgate $g --help >out 2>&1 || echo "status $?: $g"; grep -q '^usage: leadgate' out || echo "no help: $g"; done; echo done
done

# help COMMAND [SUB]: the same texts as --help.
$ leadgate help leads move | head -n 3
usage: leadgate [-c CONFIG] leads move ID PHASE [--action NAME | --remark TEXT]

move a lead to a phase (number or name).

$ leadgate help quarantine | head -n 1
usage: leadgate [-c CONFIG] quarantine SUBCOMMAND [ARGS...]

$ leadgate help deliver | head -n 1
usage: leadgate [-c CONFIG] deliver 

$ leadgate help | head -n 3
usage: leadgate [-c CONFIG] [-v] COMMAND [ARGS...]

Commands (each takes --help):

$ leadgate help contacts frobnicate
! leadgate: contacts: unknown subcommand 'frobnicate' (one of: list, show, add, update, export, erase, merge, import, set-status, profile)
? 64

$ leadgate help frobnicate
! leadgate: unknown command 'frobnicate' (try leadgate --help)
? 64

# help --commands: every command path, one per line (shell completion).
$ leadgate help --commands | grep -x -e 'contacts list' -e report -e 'config check' -e help
help
contacts list
report
config check

# Every path printed is a command that answers --help.
$ leadgate help --commands | while read -r c; do leadgate $c --help | head -n 1 | grep -q "^usage: leadgate \[-c CONFIG\] $c " || echo "no help: $c"; done; echo done
done
