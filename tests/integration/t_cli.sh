# Golden command-line sessions: tests/data/cli/*.t (see tests/lib/cram.py).
. "$TOP/tests/lib/common.sh"
python3 "$TOP/tests/lib/cram.py" "$TOP"/tests/data/cli/*.t || T_FAILS=1
t_finish
