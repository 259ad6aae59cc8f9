# shellcheck shell=bash
# Common definitions for the series' scripts. Sourced, never run.

# The base (version, Debian package, tarball, checksum, tag, tree object).
. "$(dirname "${BASH_SOURCE[0]}")/base.conf"

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${GUP_ORIGIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gup-origin}
CACHE_LINUX=$CACHE/linux
CHECK_TREE=$CACHE/src
BUILD=$CACHE/build
GIT_IDENT=(-c "user.name=GUP Origin Series" -c "user.email=gup-origin@example.org")

die() { printf '%s: error: %s\n' "${0##*/}" "$*" >&2; exit 1; }
note() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }

# usage TEXT: print --help text when asked, from the script's header comment.
usage() {
	sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0"
}
want_help() {
	case "${1:-}" in -h|--help) usage; exit 0 ;; esac
}

# Print the patch files of the series, in order, one per line (relative to REPO).
series_patches() {
	[ -f "$REPO/series" ] || die "no series file in $REPO"
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$REPO/series"
}

# The kernel tree the scripts work on: LINUX_DIR if set, else the cache.
linux_dir() { printf '%s\n' "${LINUX_DIR:-$CACHE_LINUX}"; }

# require_base DIR: DIR is a git tree that has the base tag (or BASE_REF).
require_base() {
	local dir=$1
	git -C "$dir" rev-parse --git-dir >/dev/null 2>&1 ||
		die "$dir is not a git tree (run scripts/base, or set LINUX_DIR to a kernel git tree)"
	git -C "$dir" rev-parse -q --verify "${BASE_REF:-$BASE_TAG}^{commit}" >/dev/null ||
		die "$dir has no base ${BASE_REF:-$BASE_TAG}: fetch it (or set BASE_REF to the commit of Linux $BASE_VERSION)"
}

# require_clean DIR: refuse a work tree with changes or a git operation in progress.
require_clean() {
	local dir=$1 gd
	gd=$(git -C "$dir" rev-parse --git-dir)
	case "$gd" in /*) ;; *) gd=$dir/$gd ;; esac
	[ ! -d "$gd/rebase-apply" ] && [ ! -d "$gd/rebase-merge" ] ||
		die "$dir has a git am/rebase in progress: finish or abort it first"
	[ -z "$(git -C "$dir" status --porcelain --untracked-files=no)" ] ||
		die "$dir has uncommitted changes: commit or stash them first (nothing was changed)"
}

# Seconds since the epoch, and a duration printer.
now() { date +%s; }
took() { printf '%dm%02ds' $(( ($(now) - $1) / 60 )) $(( ($(now) - $1) % 60 )); }

# Kernel builds go through ccache.
use_ccache() {
	if [ -d /usr/lib/ccache ]; then
		export PATH=/usr/lib/ccache:$PATH
		export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
		export CCACHE_BASEDIR=$CACHE
		export CCACHE_NOHASHDIR=1
		export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-20G}
	fi
}

# Make sure the check worktree ($CHECK_TREE) exists and is clean. It is the
# scripts' own: builds always use this one path, so ccache hits across runs.
check_tree() {
	"$REPO/scripts/base" >/dev/null
	# Every script that works in the tree logs under $BUILD/logs: on an empty
	# cache nothing else has made it yet.
	mkdir -p "$BUILD/logs"
	if [ ! -d "$CHECK_TREE" ]; then
		git -C "$CACHE_LINUX" worktree prune
		git -C "$CACHE_LINUX" worktree add -q --detach "$CHECK_TREE" "$BASE_TAG"
	fi
	require_clean "$CHECK_TREE"
}

# am_series DIR: check out the base in DIR (detached) and git am the series.
# Prints "<patch> <commit>" per patch. A patch that does not apply is named,
# with the file, and the am is aborted so that DIR stays usable. The result
# is remembered per base and patch contents: the same series is checked out,
# not applied again, as long as its commits are still in the repository.
am_series() {
	local dir=$1 p out file key memo
	[ -f "$REPO/series" ] || die "no series file in $REPO"
	key=$({ git -C "$dir" rev-parse "${BASE_REF:-$BASE_TAG}^{commit}"; series_patches |
		while read -r p; do printf '%s\n' "$p"; cat "$REPO/$p" 2>/dev/null; done; } | sha256sum | cut -c1-32)
	memo=$BUILD/applied/$key
	if [ -s "$memo" ] && git -C "$dir" cat-file -e "$(tail -1 "$memo" | cut -d' ' -f2)^{commit}" 2>/dev/null; then
		git -C "$dir" checkout -q --detach "$(tail -1 "$memo" | cut -d' ' -f2)"
		cat "$memo"
		return
	fi
	mkdir -p "$BUILD/applied"
	git -C "$dir" checkout -q --detach "${BASE_REF:-$BASE_TAG}"
	while read -r p; do
		[ -f "$REPO/$p" ] || die "series lists $p, which does not exist"
		if ! out=$(git "${GIT_IDENT[@]}" -C "$dir" am -q --keep-cr "$REPO/$p" 2>&1); then
			git -C "$dir" am --abort >/dev/null 2>&1 || true
			printf '%s\n' "$out" | sed 's/^/  /' >&2
			file=$(printf '%s\n' "$out" | sed -n 's/^error: patch failed: \([^:]*\):.*/\1/p;s/^error: \([^:]*\): does not exist in index/\1/p;s/^error: \([^:]*\): already exists in index/\1/p' | head -1)
			die "$p does not apply${file:+ (at $file)}"
		fi
		printf '%s %s\n' "$p" "$(git -C "$dir" rev-parse HEAD)"
	done < <(series_patches) > "$memo.tmp"
	mv "$memo.tmp" "$memo"
	cat "$memo"
}
