# The examples in the documentation are run and must print what they show.
. "$TOP/tests/lib/common.sh"
python3 "$TOP/tests/lib/cram.py" "$TOP"/docs/*.md || T_FAILS=1
t_finish
