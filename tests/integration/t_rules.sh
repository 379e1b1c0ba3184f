# Rule files: the shipped one is valid, and every mistake in
# tests/data/rules/bad/NAME.conf is reported as NAME.want says
# ("file:line: reason" per mistake, exit 65), changing nothing.
. "$TOP/tests/lib/common.sh"

cat > "$T_DIR/leadgate.conf" <<CONF
store = { path = "$T_DIR/lg.db"; };
pipelines = "$TOP/etc/pipelines.conf";
rules = "$TOP/etc/rules.conf";
templates = "$TOP/etc/templates";
CONF
export LEADGATE_CONFIG="$T_DIR/leadgate.conf"

"$LEADGATE" rules check >"$T_DIR/out" 2>&1
check_grep "the shipped rule file is valid" "rules.conf: [0-9]+ rules, ok" "$T_DIR/out"

for f in "$TOP"/tests/data/rules/bad/*.conf; do
	name=$(basename "$f" .conf)
	cp "$f" "$T_DIR/rules.conf"
	(cd "$T_DIR" && "$LEADGATE" rules check rules.conf) >"$T_DIR/got" 2>&1
	rc=$?
	check_eq "$name: exit status" "$rc" 65
	check_file "$name: every mistake with file:line" "$T_DIR/got" \
	    "$TOP/tests/data/rules/bad/$name.want"
done
[ ! -e "$T_DIR/lg.db" ] && ok "checking rules touched no database" ||
    not_ok "checking rules created a database"

# field:forwarded_by: the agent who forwarded the mail (forward.h).
cat > "$T_DIR/fwd-rules.conf" <<'RULES'
rules = (
  { name = "forwarded by our agents"; source = "Agent";
    when = { on = "field:forwarded_by"; glob = "*@keller-immobilien.de>"; }; },
  { name = "direct"; source = "E-Mail"; }
);
RULES
cat > "$T_DIR/fwd.conf" <<CONF
store = { path = "$T_DIR/fwd.db"; };
pipelines = "$TOP/etc/pipelines.conf";
rules = "$T_DIR/fwd-rules.conf";
templates = "$TOP/etc/templates";
CONF
"$LEADGATE" -c "$T_DIR/fwd.conf" rules test \
    "$TOP/tests/data/parse/forward/gmail-de-text.eml" >"$T_DIR/out" 2>&1
check_grep "a rule on field:forwarded_by takes a forward" \
    "^rule: forwarded by our agents" "$T_DIR/out"
"$LEADGATE" -c "$T_DIR/fwd.conf" rules test \
    "$TOP/tests/data/parse/generic/personal-signature.eml" >"$T_DIR/out" 2>&1
check_grep "and not a mail that came directly" "^rule: direct" "$T_DIR/out"
t_finish
