#!/usr/bin/env bash
# build.sh — build the capaudit container image, offline, with `docker import`.
#
# Usage: deploy/image/build.sh [--force] [NAME]
#   NAME     image repository to tag (default: capaudit); tags NAME:<version> and
#            NAME:latest, the version being the root pom's
#   --force  rebuild even if both tags already carry this recipe
#
# What goes into the image, and why nothing else:
#   /opt/java               a jlink'ed Java runtime: the modules jdeps finds in
#                           the shaded jar (java.desktop among them: FreeMarker's
#                           bean wrapper needs java.beans for the HTML report),
#                           plus jdk.crypto.ec (TLS to a tcp:// engine negotiates
#                           EC keys; on Java 17 they live outside java.base) and
#                           jdk.unsupported (JNA, the engine's unix socket).
#                           Debug attributes, man pages and headers stripped,
#                           compressed. Native libraries whose own dependencies
#                           are not in the image (X11, fonts, sound, images) are
#                           removed: a headless audit never loads them.
#   /opt/capaudit/capaudit.jar   the shaded jar (cli/target/capaudit.jar)
#   /opt/capaudit/repeat.jar     deploy/image/Repeat.java: the DaemonSet's
#                           schedule (a loop without a shell)
#   /usr/sbin/getcap        the host's, with libcap: capaudit runs it to read a
#                           shell's file capabilities (Java cannot read xattrs)
#   glibc, zlib, libstdc++  exactly the libraries `ldd` says the runtime and
#                           getcap link, and the dynamic loader
#   /etc/passwd             root only, so that the JVM can name its user
# No shell and no busybox: a shell in a container holding SYS_PTRACE and
# DAC_READ_SEARCH over the host's pid namespace reads any file of any process
# on the node for whoever can exec into it. Debug from outside instead
# (`kubectl debug node/NAME`, or `docker run --pid=container:ID` of any image).
#
# Idempotent: the image carries a recipe label, the sha256 of this script,
# Repeat.java, the jar and the JDK jlink used; when NAME:<version> and
# NAME:latest both carry the current recipe nothing is done.
#
# Exit status: 0 image present (prints its size), 1 with a message otherwise.

set -euo pipefail

die() { printf 'build: ERROR: %s\n' "$*" >&2; exit 1; }
log() { printf 'build: %s\n' "$*" >&2; }

FORCE=0
NAME=""
for arg in "$@"; do
    case "$arg" in
        --force|-f) FORCE=1 ;;
        -h|--help) sed -n '2,38p' "$0"; exit 0 ;;
        -*) die "unknown option: $arg" ;;
        *) [ -z "$NAME" ] || die "more than one NAME given ($NAME, $arg)"; NAME="$arg" ;;
    esac
done
NAME="${NAME:-capaudit}"
case "$NAME" in *:*) die "NAME is a repository without a tag (got $NAME); the tags are <version> and latest" ;; esac

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
JAR="$REPO/cli/target/capaudit.jar"
MAX_BYTES=160000000   # the image must stay under 160 MB

# ---------------------------------------------------------------- prerequisites
command -v docker >/dev/null 2>&1 || die "docker CLI not found in PATH (run .ci/docker-up.sh first)"
docker info >/dev/null 2>&1 || die "docker engine not reachable ('docker info' failed; run .ci/docker-up.sh first)"
JLINK="$(readlink -f "$(command -v jlink 2>/dev/null || true)" 2>/dev/null || true)"
[ -x "$JLINK" ] || die "jlink not found (install a Java 17 JDK with its jmods: apt-get install openjdk-17-jdk-headless openjdk-17-jmods)"
JDK="$(dirname "$(dirname "$JLINK")")"
[ -d "$JDK/jmods" ] || die "$JDK has no jmods directory; jlink needs it (apt-get install openjdk-17-jmods)"
grep -q '^JAVA_VERSION="17' "$JDK/release" || die "$JDK is not a Java 17 JDK ($(grep '^JAVA_VERSION=' "$JDK/release" || echo 'no release file'))"
for tool in jdeps javac jar; do [ -x "$JDK/bin/$tool" ] || die "$JDK/bin/$tool not found"; done
GETCAP=""
for p in "$(command -v getcap 2>/dev/null || true)" /usr/sbin/getcap /sbin/getcap; do
    [ -n "$p" ] && [ -x "$p" ] && { GETCAP="$(readlink -f "$p")"; break; }
done
[ -n "$GETCAP" ] || die "getcap not found (apt-get install libcap2-bin)"
command -v ldd >/dev/null 2>&1 || die "ldd not found"

# The root pom's own version: the first <version> after capaudit-parent's artifactId.
VERSION="$(awk '/<artifactId>capaudit-parent<\/artifactId>/ { found = 1; next }
    found && /<version>/ { gsub(/.*<version>|<\/version>.*/, ""); print; exit }' "$REPO/pom.xml")"
[ -n "$VERSION" ] || die "no version found in $REPO/pom.xml"

# The launcher rebuilds the jar when a source is newer than it (build output on stderr).
"$REPO/capaudit" --version >/dev/null || die "the jar could not be built (run 'mvn -B -o package -pl cli -am -Dmaven.test.skip=true')"
[ -f "$JAR" ] || die "$JAR missing after the build"
jar_props="$(unzip -p "$JAR" dev/capaudit/cli/version.properties 2>/dev/null)" || die "$JAR has no version.properties"
jar_version="$(sed -n 's/^version=//p' <<<"$jar_props")"
COMMIT="$(sed -n 's/^commit=//p' <<<"$jar_props")"
DIRTY="$(sed -n 's/^dirty=//p' <<<"$jar_props")"
[ "$jar_version" = "$VERSION" ] || die "$JAR is version '$jar_version' but the root pom says '$VERSION'; rebuild it"
[ "$DIRTY" != true ] || log "warning: the jar was built from a work tree with uncommitted changes (commit $COMMIT, dirty)"
# In a linked git worktree the jar's commit is the main work tree's HEAD, not this one's (git-commit-id-maven-plugin
# reads the common git directory), so the revision label takes this checkout's own HEAD when git can tell it.
HEAD_COMMIT="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || true)"
if [ -n "$HEAD_COMMIT" ] && [ "$HEAD_COMMIT" != "$COMMIT" ]; then
    log "warning: the jar says commit $COMMIT but $REPO is at $HEAD_COMMIT; labelling the image $HEAD_COMMIT"
    COMMIT="$HEAD_COMMIT"
fi

SELF="$(readlink -f "${BASH_SOURCE[0]}")"
RECIPE="$( { sha256sum "$SELF" "$HERE/Repeat.java" "$JAR" "$JDK/release" "$GETCAP" | cut -d' ' -f1; } | sha256sum | cut -c1-16)"

image_recipe() { docker image inspect --format '{{ index .Config.Labels "capaudit.image.recipe" }}' "$1" 2>/dev/null || true; }
image_id() { docker image inspect --format '{{.Id}}' "$1" 2>/dev/null || true; }
print_size() {
    local bytes
    bytes="$(docker image inspect --format '{{.Size}}' "$NAME:$VERSION")"
    log "$NAME:$VERSION = $NAME:latest, $(( bytes / 1000000 )) MB ($bytes bytes), commit $COMMIT, recipe $RECIPE"
    [ "$bytes" -lt "$MAX_BYTES" ] || die "the image is $bytes bytes, over the $MAX_BYTES limit"
}

if [ "$FORCE" -eq 0 ] && [ "$(image_recipe "$NAME:$VERSION")" = "$RECIPE" ] \
    && [ "$(image_id "$NAME:$VERSION")" = "$(image_id "$NAME:latest")" ]; then
    log "image $NAME:$VERSION is up to date (recipe $RECIPE); use --force to rebuild"
    print_size
    exit 0
fi

# ---------------------------------------------------------------- runtime
WORK="$(mktemp -d "${TMPDIR:-/tmp}/capaudit-deploy-image.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
ROOT="$WORK/rootfs"
mkdir -p "$ROOT"/{etc,opt/capaudit,usr/sbin,proc,sys,dev,tmp,host,var/lib/capaudit}
chmod 1777 "$ROOT/tmp"

MODULES="$("$JDK/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 17 "$JAR")" \
    || die "jdeps could not list the jar's modules"
MODULES="$(tr ',' '\n' <<<"$MODULES,jdk.crypto.ec,jdk.unsupported" | sed '/^$/d' | sort -u | paste -sd, -)"
log "jlink modules: $MODULES"
"$JLINK" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files --compress=2 \
    --output "$ROOT/opt/java" || die "jlink failed"

# The libraries the image provides: glibc's, zlib and the C++ runtime libjvm needs. A runtime library that
# needs anything else (libX11, libfreetype, libasound, libjpeg, liblcms2, ...) is for a desktop, not for us.
ALLOWED='^(libc\.so\.6|libm\.so\.6|libdl\.so\.2|libpthread\.so\.0|librt\.so\.1|libz\.so\.1|libgcc_s\.so\.1|libstdc\+\+\.so\.6|libcap\.so\.2|ld-linux-x86-64\.so\.2)$'
# libjvm.so shows as "not found" for the runtime's own libraries (the JVM has loaded it before them): a library
# the runtime ships is never missing.
needed() {  # the libraries outside the runtime that an ELF file needs, as absolute paths
    ldd "$1" | awk -v rt="$ROOT/opt/java/" '
        /not found/ { print "MISSING " $1; next }
        { for (i = 1; i <= NF; i++) if ($i ~ /^\// && index($i, rt) != 1) print $i }' \
        | while read -r lib; do
            if [[ "$lib" == MISSING* ]] && [ -n "$(find "$ROOT/opt/java" -name "${lib#MISSING }" -print -quit)" ]; then
                continue
            fi
            printf '%s\n' "$lib"
        done
}
removed=()
for so in "$ROOT"/opt/java/lib/*.so; do
    if needed "$so" | while read -r lib; do
        [[ "$lib" != MISSING* ]] && [[ "$(basename "$lib")" =~ $ALLOWED ]] || exit 1
    done; then :; else
        removed+=("$(basename "$so")")
        rm -f "$so"
    fi
done
[ "${#removed[@]}" -eq 0 ] || log "removed native libraries a headless audit never loads: ${removed[*]}"

install -m 0755 "$GETCAP" "$ROOT/usr/sbin/getcap"
# Each library at the path ldd found it, dereferenced, so DT_NEEDED and PT_INTERP resolve as on the host.
while IFS= read -r elf; do
    while IFS= read -r lib; do
        [[ "$lib" != MISSING* ]] || die "$elf needs ${lib#MISSING }, which this host does not have"
        [[ "$(basename "$lib")" =~ $ALLOWED ]] || die "$elf needs $lib, which is not an allowed library"
        mkdir -p "$ROOT$(dirname "$lib")"
        cp -L "$lib" "$ROOT$lib"
    done < <(needed "$elf")
done < <(find "$ROOT/opt/java" "$ROOT/usr/sbin" -type f \( -name '*.so' -o -perm -u+x \) -exec sh -c \
    'head -c 4 "$1" | grep -q "ELF"' _ {} \; -print)
[ -e "$ROOT/lib64/ld-linux-x86-64.so.2" ] || [ "$(uname -m)" != x86_64 ] \
    || die "the dynamic loader was not copied (unexpected ldd output)"

cp "$JAR" "$ROOT/opt/capaudit/capaudit.jar"
mkdir -p "$WORK/repeat"
"$JDK/bin/javac" --release 17 -d "$WORK/repeat" "$HERE/Repeat.java" || die "Repeat.java does not compile"
"$JDK/bin/jar" --create --file "$ROOT/opt/capaudit/repeat.jar" --main-class Repeat -C "$WORK/repeat" . \
    || die "cannot package repeat.jar"

# root only: the JVM looks its user up; no login shell exists in the image.
printf 'root:x:0:0:root:/:/nonexistent\n' > "$ROOT/etc/passwd"
chmod 0644 "$ROOT/etc/passwd"

# getcap runs on the host inside the rootfs before importing: a missing library fails here, with its name. (The
# JVM cannot be tried so: its loader finds libjli through $ORIGIN, which needs /proc; the image is tried below.)
if command -v chroot >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    chroot "$ROOT" /usr/sbin/getcap /usr/sbin/getcap >/dev/null || die "getcap does not run inside the rootfs"
fi

# ---------------------------------------------------------------- import
# Fixed owner, order and times: the same inputs give the same layer.
tar --numeric-owner --owner=0 --group=0 --sort=name --mtime=@0 -C "$ROOT" -cf "$WORK/rootfs.tar" .

old_ids="$(image_id "$NAME:$VERSION") $(image_id "$NAME:latest")"
# Imported under a tag of its own first: an image that does not run never gets the real tags.
TRIAL="$NAME:trial-$RECIPE"
log "importing $NAME:$VERSION (commit $COMMIT, recipe $RECIPE)"
docker import \
    --change 'ENTRYPOINT ["/opt/java/bin/java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", "/opt/capaudit/capaudit.jar"]' \
    --change 'CMD ["--help"]' \
    --change 'ENV PATH=/opt/java/bin:/usr/sbin' \
    --change 'WORKDIR /' \
    --change 'USER 0:0' \
    --change "LABEL org.opencontainers.image.title=capaudit" \
    --change "LABEL org.opencontainers.image.version=$VERSION" \
    --change "LABEL org.opencontainers.image.revision=$COMMIT" \
    --change "LABEL capaudit.dirty=$DIRTY" \
    --change "LABEL capaudit.image.recipe=$RECIPE" \
    --message "capaudit $VERSION (commit $COMMIT): jlink'ed Java runtime, the jar, getcap" \
    "$WORK/rootfs.tar" "$TRIAL" >/dev/null || die "docker import of $TRIAL failed"

# It must run as the DaemonSet runs it: capaudit --version needs no capability, no writable file, no network;
# the loop launcher must start and pass capaudit's exit code through (2: bad usage).
if ! docker run --rm --label capaudit.deploy=1 --network none --read-only --cap-drop ALL \
        --security-opt no-new-privileges "$TRIAL" --version >/dev/null; then
    docker rmi "$TRIAL" >/dev/null 2>&1 || true
    die "the imported image does not run capaudit --version"
fi
rc=0
docker run --rm --label capaudit.deploy=1 --network none --read-only --cap-drop ALL \
    --security-opt no-new-privileges --entrypoint /opt/java/bin/java "$TRIAL" -jar /opt/capaudit/repeat.jar \
    --stop-on=2 0 60 /opt/java/bin/java -jar /opt/capaudit/capaudit.jar --no-such-option >/dev/null 2>&1 || rc=$?
if [ "$rc" -ne 2 ]; then
    docker rmi "$TRIAL" >/dev/null 2>&1 || true
    die "repeat.jar in the image exited $rc for capaudit's usage error, not 2"
fi
docker tag "$TRIAL" "$NAME:$VERSION" && docker tag "$TRIAL" "$NAME:latest" || die "cannot tag $NAME:$VERSION and :latest"
docker rmi "$TRIAL" >/dev/null || die "cannot remove the trial tag $TRIAL"
new_id="$(image_id "$NAME:$VERSION")"

# Remove the images these tags pointed to before, so that rebuilds do not pile up; fails harmlessly (ignored)
# while a container still uses one.
for id in $old_ids; do
    [ "$id" = "$new_id" ] || docker rmi "$id" >/dev/null 2>&1 || true
done
print_size
