# The examples in the documentation are run and must print what they show:
# every ```console block of docs/*.md is a session, with the files shown
# in ```LANG file=NAME blocks before it (see tests/lib/cram.py). So the
# configuration, rule file and template examples of the manual pages go
# through config check / status, rules check / rules test and template
# render / preview.
. "$TOP/tests/lib/common.sh"
python3 "$TOP/tests/lib/cram.py" "$TOP"/docs/*.md || T_FAILS=1
t_finish
