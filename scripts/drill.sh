#!/usr/bin/env bash
# The upgrade drill (docs/UPGRADING.md, "Drills"): the project's pinned requirements with another
# Streamlit release, in a side venv, and the test suite run in it.
#
#   make drill STREAMLIT=1.66.1                 fast tier: pytest -m "not e2e"
#   make drill STREAMLIT=1.66.1 DRILL_TIER=all  then the browser tier as `make test` runs it, in a
#                                               process of its own: pytest -m e2e $E2E_ARGS
#                                               (needs `make browser nginx`)
#   make drill STREAMLIT=1.66.1 DRILL_REF=HEAD  the tests of a commit (a checkout of it in a
#                                               temporary folder), not the working tree: other people's
#                                               unfinished edits do not count against the drilled release
#   scripts/drill.sh 1.66.1                     the same without make (DRILL_TIER, DRILL_REF, PY from the environment)
#
# The venv is .venv-drill-<version> (git-ignored), kept for the next drill of that version and
# reinstalled when requirements*.txt or pyproject.toml is newer than it. A pip constraint cannot
# override the `streamlit==` pin (pip reports ResolutionImpossible), so the requirements are
# copied to a temporary folder with only that line changed and installed from there; then the
# package itself with `pip install --no-deps -e .`, as the Makefile does.
# The whole output goes to tests/artifacts/drill-<version>-<tier>.log; the last line says
# PASSED or FAILED with pytest's summary (each tier's), and the exit status is non-zero if any failed.
set -euo pipefail

version=${1:-}
tier=${DRILL_TIER:-fast}
py=${PY:-python3}
if ! [[ $version =~ ^[0-9]+(\.[0-9]+)*$ ]]; then
    echo "usage: make drill STREAMLIT=<version, e.g. 1.66.1> [DRILL_TIER=fast|all]" >&2
    exit 2
fi
case $tier in
    fast | all) ;;
    *) echo "DRILL_TIER is fast or all, not '$tier'" >&2; exit 2 ;;
esac
# the browser tier's arguments: the Makefile passes those of its `test` target (even none: then
# one process); unset, xdist's two workers a file at a time (word-split on purpose)
read -r -a e2e_args <<< "${E2E_ARGS--n 2 --dist loadfile}"

cd "$(dirname "$0")/.."
venv=.venv-drill-$version
stamp=$venv/.installed
log=$PWD/tests/artifacts/drill-$version-$tier.log
mkdir -p tests/artifacts
: > "$log"
temporary=()
trap 'rm -rf "${temporary[@]}"' EXIT

say() { echo "drill: $*" | tee -a "$log"; }

if [[ ! -f $stamp || requirements.txt -nt $stamp || requirements-dev.txt -nt $stamp || pyproject.toml -nt $stamp ]]; then
    grep -q '^streamlit==' requirements.txt || { say "no 'streamlit==' line in requirements.txt"; exit 2; }
    [[ -x $venv/bin/python ]] || "$py" -m venv "$venv"
    work=$(mktemp -d)
    temporary+=("$work")
    sed "s/^streamlit==.*/streamlit==$version/" requirements.txt > "$work/requirements.txt"
    cp requirements-dev.txt "$work/"  # its `-r requirements.txt` now reads the copy beside it
    say "installing streamlit==$version with the other pins into $venv"
    if ! "$venv/bin/pip" install --disable-pip-version-check -q -r "$work/requirements-dev.txt" >> "$log" 2>&1; then
        tail -n 5 "$log"
        say "FAILED streamlit $version: its requirements do not install with the project's pins (see $log)"
        exit 3
    fi
    "$venv/bin/pip" install --disable-pip-version-check -q --no-deps -e . >> "$log" 2>&1
    touch "$stamp"
fi

installed=$("$venv/bin/python" -c "import streamlit; print(streamlit.__version__)")
if [[ $installed != "$version" ]]; then
    say "$venv holds streamlit $installed, not $version"
    exit 3
fi
"$venv/bin/pip" check --disable-pip-version-check >> "$log" 2>&1 || say "pip check reports conflicts (see $log)"

venv_python=$PWD/$venv/bin/python
tree="the working tree"
if [[ -n ${DRILL_REF:-} ]]; then
    commit=$(git rev-parse --short "$DRILL_REF^{commit}")
    tree=$(mktemp -d "${TMPDIR:-/tmp}/fjchains-drill-$commit.XXXXXX")
    temporary+=("$tree")
    # a checkout of its own (tests run git ls-files); --shared borrows this repository's objects
    # and writes nothing into it
    git clone -q --shared --no-checkout "$PWD" "$tree"
    git -C "$tree" checkout -q --detach "$commit"
    ln -s "$PWD/$venv" "$tree/.venv"  # that tree's venv, for anything that names .venv/bin/…
    export PYTHONPATH=$tree  # ahead of the editable install, which points at the working tree
    cd "$tree"
    where=$("$venv_python" -c "import fjchains; print(fjchains.__file__)")
    [[ $where == "$tree"/* ]] || { say "fjchains comes from $where, not $tree"; exit 3; }
    tree="commit $commit"
fi
# One pytest run (no cache provider: .pytest_cache belongs to the main venv's runs); its summary
# line goes to $summaries.
summaries=()
run_tier() {
    say "streamlit $installed, $tree: pytest $*"
    local status
    set +e
    "$venv_python" -m pytest -p no:cacheprovider "$@" 2>&1 | tee -a "$log"
    status=${PIPESTATUS[0]}
    set -e
    summaries+=("pytest $*: $(grep -E '^=+ .*(passed|failed|error).* in [0-9.]+s' "$log" | tail -n 1 | sed -E 's/^=+ | =+$//g')")
    return "$status"
}
# the two tiers in processes of their own, as `make test` runs them: a browser test's event loop
# (Playwright's sync API) must not be left running under the tests that follow it
status=0
run_tier -m "not e2e" || status=$?
if [[ $tier == all ]]; then
    run_tier -m e2e "${e2e_args[@]}" || status=$?
fi
summary=$(IFS=';'; echo "${summaries[*]}" | sed 's/;/; /g')
if [[ $status -eq 0 ]]; then
    say "PASSED streamlit $version, tier $tier, $tree: $summary"
else
    say "FAILED streamlit $version, tier $tier, $tree: $summary (log: $log)"
fi
exit "$status"
