#!/bin/sh
# PID 1 of a scripts/runtime test kernel (User-Mode Linux with the host's / as
# root). Runs fio O_DIRECT verify jobs, the mm GUP selftests and the fork
# race, then checks the pin counters and the kernel log. Writes one line per
# check, "RESULT <name> <PASS|FAIL|SKIP> <detail>", to $RT_OUT/results.txt,
# and powers the kernel off.
#
# Kernel command line variables: RT_OUT (results directory), RT_TOOLS
# (directory of the static test programs), RT_FIO (fio binary).

if [ "$$" != 1 ]; then
	echo "guest.sh: refusing to run: not PID 1 of a test kernel" >&2
	exit 1
fi
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
# Mount the guest's own /proc before anything reads it: until then, the
# host's is visible through hostfs.
mount -t proc proc /proc
if ! grep -q "User Mode Linux" /proc/cpuinfo; then
	echo "guest.sh: refusing to run: not a User-Mode Linux kernel" >&2
	exec busybox poweroff -f
fi
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug
# Guest-only mount points on a tmpfs over /run, so that nothing is created
# in the host's directories; the results and tools directories are bound
# there before /tmp gets its own tmpfs (they may live under the host's /tmp).
mount -t tmpfs tmpfs /run
mkdir -p /run/rt/out /run/rt/tools /run/rt/ext4 /run/rt/vfat
mount --bind "$RT_OUT" /run/rt/out
mount --bind "$RT_TOOLS" /run/rt/tools
mount -t tmpfs tmpfs /tmp

out=/run/rt/out
tools=/run/rt/tools
res=$out/results.txt
: > "$res"
result() { echo "RESULT $*" >> "$res"; echo "RESULT $*"; }

# fio_job NAME FILENAME ARGS...: O_DIRECT writes, verified by O_DIRECT reads.
fio_job() {
	name=$1 file=$2
	shift 2
	if "$RT_FIO" --name="$name" --filename="$file" --direct=1 --size=8m \
		--rw=randwrite --verify=crc32c --do_verify=1 --verify_fatal=1 \
		--randrepeat=0 "$@" --output="$out/fio-$name.txt" >/dev/null 2>&1; then
		result "fio:$name" PASS "$(grep -o 'IOPS=[^,]*' "$out/fio-$name.txt" | tr '\n' ' ')"
	else
		result "fio:$name" FAIL "$(grep -iE 'verify|error|bad' "$out/fio-$name.txt" | head -2 | tr '\n' ' ')"
	fi
}

mount -t ext4 /dev/ubda /run/rt/ext4 || result mount:ext4 FAIL "cannot mount /dev/ubda"

targets="nullb0:/dev/nullb0 ram0:/dev/ram0 ext4:/run/rt/ext4/fio.dat"
for t in $targets; do
	tn=${t%%:*} tf=${t#*:}
	fio_job "$tn-psync-4k" "$tf" --ioengine=psync --bs=4k
	fio_job "$tn-libaio-4k" "$tf" --ioengine=libaio --iodepth=16 --bs=4k
	fio_job "$tn-io_uring-4k" "$tf" --ioengine=io_uring --iodepth=16 --bs=4k
	fio_job "$tn-io_uring-fixedbufs" "$tf" --ioengine=io_uring --iodepth=16 --bs=4k --fixedbufs
	fio_job "$tn-io_uring-mixed" "$tf" --ioengine=io_uring --iodepth=8 --bssplit=512/10:4k/40:16k/30:64k/20
	fio_job "$tn-libaio-misaligned512" "$tf" --ioengine=libaio --iodepth=8 --bs=4k --iomem_align=512
	fio_job "$tn-psync-mixed-misaligned" "$tf" --ioengine=psync --bsrange=512-32k --blockalign=512 --iomem_align=512
done
# Buffers from shared memory (shmem) and from a MAP_SHARED file mapping.
fio_job nullb0-io_uring-shmbuf /dev/nullb0 --ioengine=io_uring --iodepth=8 --bs=16k --iomem=mmapshared
fio_job ram0-psync-filemapbuf /dev/ram0 --ioengine=psync --bs=8k --iomem=mmap:/run/rt/ext4/iomem.buf
fio_job ext4-libaio-filemapbuf /run/rt/ext4/fio2.dat --ioengine=libaio --iodepth=8 --bs=4k --iomem=mmap:/run/rt/ext4/iomem2.buf
rm -f /run/rt/ext4/fio.dat /run/rt/ext4/fio2.dat /run/rt/ext4/iomem.buf /run/rt/ext4/iomem2.buf

# The seeds' race: fork while O_DIRECT reads are in flight into the buffer.
for t in ext4:/run/rt/ext4/race.dat nullb0:/dev/nullb0; do
	if "$tools/fork-odirect" "${t#*:}" 4 > "$out/fork-${t%%:*}.txt" 2>&1; then
		result "fork-odirect:${t%%:*}" PASS "$(cat "$out/fork-${t%%:*}.txt")"
	else
		result "fork-odirect:${t%%:*}" FAIL "$(tail -1 "$out/fork-${t%%:*}.txt")"
	fi
done

# ptrace-style writes (/proc/self/mem, __access_remote_vm()) into page
# cache and anonymous memory; the detail shows the pins it took (none on
# a kernel where that path uses FOLL_GET).
echo 1 > /proc/sys/vm/stat_refresh
acq0=$(awk '$1 == "nr_foll_pin_acquired" {print $2}' /proc/vmstat)
if "$tools/remote-access" /run/rt/ext4/remote.dat 64 > "$out/remote-access.txt" 2>&1; then
	echo 1 > /proc/sys/vm/stat_refresh
	acq1=$(awk '$1 == "nr_foll_pin_acquired" {print $2}' /proc/vmstat)
	result remote-access PASS "$(cat "$out/remote-access.txt"); pins taken: $((acq1 - acq0))"
else
	result remote-access FAIL "$(tail -1 "$out/remote-access.txt")"
fi
rm -f /run/rt/ext4/remote.dat

# The kernel's own GUP selftests, from the base tree.
ksft() { # NAME CMD...: pass/fail/skip from the TAP totals line
	name=$1
	shift
	"$@" > "$out/$name.txt" 2>&1
	rc=$?
	tot=$(grep -E '^# Totals:' "$out/$name.txt" | tail -1 | sed 's/^# Totals: //')
	case $rc in
	0) result "$name" PASS "${tot:-exit 0}" ;;
	4) result "$name" SKIP "${tot:-exit 4 (skip)}" ;;
	*) result "$name" FAIL "exit $rc ${tot}" ;;
	esac
}
for cmd in u U a b L; do
	for w in w W; do
		for share in S P; do
			s=; [ $share = S ] && s=-S
			for n in 1 512 123; do
				ksft "gup_test-$cmd$w$share-n$n" "$tools/gup_test" -m 16 -$cmd -$w $s -n $n
			done
		done
	done
done
ksft gup_test-dump "$tools/gup_test" -ct -F 0x1 0 19 0x1000
ksft cow "$tools/cow"
(cd /run/rt/ext4 && ksft gup_longterm "$tools/gup_longterm")

# Pin balance once I/O is quiesced: fold the per-CPU deltas first.
balance() { # NAME
	sync
	echo 1 > /proc/sys/vm/stat_refresh
	acq=$(awk '$1 == "nr_foll_pin_acquired" {print $2}' /proc/vmstat)
	rel=$(awk '$1 == "nr_foll_pin_released" {print $2}' /proc/vmstat)
	if [ -n "$acq" ] && [ "$acq" = "$rel" ]; then
		result "$1" PASS "acquired=$acq released=$rel"
	else
		result "$1" FAIL "acquired=$acq released=$rel"
	fi
}
balance pin-balance

# O_DIRECT through fs/direct-io.c (vfat), which takes extra pins with
# folio_add_pin(): its own balance line.
if mount -t vfat /dev/ubdb /run/rt/vfat; then
	fio_job vfat-psync-64k /run/rt/vfat/fio.dat --ioengine=psync --bs=64k
	fio_job vfat-libaio-mixed /run/rt/vfat/fio.dat --ioengine=libaio --iodepth=8 --bssplit=4k/50:64k/50
	umount /run/rt/vfat
	balance pin-balance-after-vfat
else
	result mount:vfat FAIL "cannot mount /dev/ubdb"
fi
umount /run/rt/ext4

# CONFIG_DEBUG_GUP_REFS (patched kernel only): no pin released by a plain
# put, no unpin of a pin that was not there, over the whole run.
if grep -q '^gup_put_pinned ' /proc/vmstat; then
	put=$(awk '$1 == "gup_put_pinned" {print $2}' /proc/vmstat)
	under=$(awk '$1 == "gup_unpin_underflow" {print $2}' /proc/vmstat)
	if [ "$put" = 0 ] && [ "$under" = 0 ]; then
		result gup-refs PASS "gup_put_pinned=0 gup_unpin_underflow=0"
	else
		result gup-refs FAIL "gup_put_pinned=$put gup_unpin_underflow=$under"
	fi
else
	result gup-refs SKIP "no CONFIG_DEBUG_GUP_REFS counters"
fi

# The kernel log: no warnings, BUGs, KASAN reports or bad pages.
dmesg > "$out/dmesg.txt"
bad=$(grep -cE 'WARNING:|BUG:|BUG |KASAN|bad page|Bad page' "$out/dmesg.txt")
if [ "$bad" = 0 ]; then
	result kernel-log PASS "no WARNING/BUG/KASAN/bad page lines"
else
	result kernel-log FAIL "$bad lines: $(grep -E 'WARNING:|BUG:|BUG |KASAN|bad page|Bad page' "$out/dmesg.txt" | head -2 | tr '\n' ' ')"
fi
echo "RT_DONE" >> "$res"
sync
exec busybox poweroff -f
