#!/bin/busybox sh
# /init of the scripts/runtime initramfs: an x86_64 test kernel under QEMU
# TCG, 2 vCPUs, THP (always) and a hugetlb pool, three emulated NVMe
# controllers (serials rtraw, rtext4, rtvfat: a raw namespace, an ext4 and a
# vfat image), null_blk, brd and a dm-delay device (rtslow, over a second
# brd device). The series' KUnit suites, if built in, have run before this
# starts; scripts/runtime parses them from the console.
# Runs fio O_DIRECT verify jobs, the mm GUP selftests, the fork race,
# /proc/self/mem writes and a hole punch in a pinned page cache folio, then
# checks the pin counters and the kernel log.
# Prints one line per check on the console,
#   RESULT <name> <PASS|FAIL|SKIP> <detail>
# then RT_DONE, and ends the VM (reboot -f; QEMU runs with -no-reboot).
# Kernel command line variables: RT_FIO_SIZE (bytes per fio job, default 8m).

/bin/busybox mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
/bin/busybox --install -s /bin
export PATH=/bin:/usr/bin
export LD_LIBRARY_PATH=/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu/ceph
[ "$$" = 1 ] || { echo "guest.sh: refusing to run: not PID 1 of a test kernel" >&2; exit 1; }
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
mkdir -p /dev/hugepages /mnt/ext4 /mnt/vfat
mount -t hugetlbfs hugetlbfs /dev/hugepages

tools=/rt
out=/tmp/out
mkdir -p "$out"
size=${RT_FIO_SIZE:-8m}
result() { echo "RESULT $*"; }
end() { echo RT_DONE; sync; reboot -f; }
vmstat() { awk -v k="$1" '$1 == k {print $2}' /proc/vmstat; }

# The series' KUnit suites ran before this and some of their cases make the
# CONFIG_DEBUG_GUP_REFS counters count on purpose: the gup-refs check below
# counts from here.
refs0_put=$(vmstat gup_put_pinned) refs0_under=$(vmstat gup_unpin_underflow)

# The KUnit suites' hugetlb cases needed a pool of two (hugepages=2 on the
# command line); cow, gup_test -H and the hugetlb fio buffers need more.
echo 64 > /proc/sys/vm/nr_hugepages
result hugetlb-pool "$([ "$(cat /proc/sys/vm/nr_hugepages)" -ge 32 ] && echo PASS || echo FAIL)" \
	"nr_hugepages=$(cat /proc/sys/vm/nr_hugepages) of 64 asked"

# The NVMe controllers are probed asynchronously; find each namespace by its
# controller's serial.
nvme_dev() { # SERIAL
	for c in /sys/class/nvme/nvme*; do
		[ "$(cat "$c/serial" 2>/dev/null | tr -d ' ')" = "$1" ] || continue
		for n in "$c"/nvme*n1; do [ -e "$n" ] && echo "/dev/${n##*/}" && return; done
	done
}
for _ in $(seq 100); do
	raw=$(nvme_dev rtraw) ext=$(nvme_dev rtext4) vfat=$(nvme_dev rtvfat)
	[ -b "$raw" ] && [ -b "$ext" ] && [ -b "$vfat" ] && break
	sleep 0.1
done
if [ -b "$raw" ] && [ -b "$ext" ] && [ -b "$vfat" ]; then
	result nvme-probe PASS "raw $raw ext4 $ext vfat $vfat"
else
	result nvme-probe FAIL "raw '$raw' ext4 '$ext' vfat '$vfat'"
	end
fi

# fio_job NAME FILENAME ARGS...: O_DIRECT writes, verified by O_DIRECT reads.
fio_job() {
	name=$1 file=$2
	shift 2
	if /usr/bin/fio --name="$name" --filename="$file" --direct=1 --size="$size" \
		--rw=randwrite --verify=crc32c --do_verify=1 --verify_fatal=1 \
		--randrepeat=0 "$@" --output="$out/fio-$name.txt" >/dev/null 2>&1; then
		result "fio:$name" PASS "$(grep -o 'IOPS=[^,]*' "$out/fio-$name.txt" | tr '\n' ' ')"
	else
		result "fio:$name" FAIL "$(grep -iE 'verify|error|bad' "$out/fio-$name.txt" | head -2 | tr '\n' ' ')"
	fi
}

mount -t ext4 "$ext" /mnt/ext4 || result mount:ext4 FAIL "cannot mount $ext"

targets="nvme:$raw nullb0:/dev/nullb0 ram0:/dev/ram0 ext4:/mnt/ext4/fio.dat"
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
# Buffers from shared memory (shmem), a MAP_SHARED file mapping and hugetlb
# (hugetlbfs file; with fixed buffers, io_uring registers hugetlb folios).
fio_job nullb0-io_uring-shmbuf /dev/nullb0 --ioengine=io_uring --iodepth=8 --bs=16k --iomem=mmapshared
fio_job ram0-psync-filemapbuf /dev/ram0 --ioengine=psync --bs=8k --iomem=mmap:/mnt/ext4/iomem.buf
fio_job ext4-libaio-filemapbuf /mnt/ext4/fio2.dat --ioengine=libaio --iodepth=8 --bs=4k --iomem=mmap:/mnt/ext4/iomem2.buf
h0=$(awk '$1 == "HugePages_Free:" {print $2}' /proc/meminfo)
fio_job nvme-io_uring-hugetlbbuf "$raw" --ioengine=io_uring --iodepth=8 --bssplit=4k/50:64k/50 --iomem=mmaphuge:/dev/hugepages/fio1.buf
fio_job nvme-io_uring-fixedbufs-hugetlb "$raw" --ioengine=io_uring --iodepth=16 --bs=16k --fixedbufs --iomem=mmaphuge:/dev/hugepages/fio2.buf
fio_job ext4-psync-hugetlbbuf /mnt/ext4/fio3.dat --ioengine=psync --bs=64k --iomem=mmaphuge:/dev/hugepages/fio3.buf
rm -f /mnt/ext4/fio.dat /mnt/ext4/fio2.dat /mnt/ext4/fio3.dat /mnt/ext4/iomem.buf /mnt/ext4/iomem2.buf /dev/hugepages/*
h1=$(awk '$1 == "HugePages_Free:" {print $2}' /proc/meminfo)
result hugetlb-pool-after-fio "$([ "$h0" = "$h1" ] && echo PASS || echo FAIL)" "free huge pages before $h0, after $h1"

# The seeds' race: fork while O_DIRECT reads are in flight into the buffer.
for t in ext4:/mnt/ext4/race.dat nvme:$raw; do
	if "$tools/fork-odirect" "${t#*:}" 4 > "$out/fork-${t%%:*}.txt" 2>&1; then
		result "fork-odirect:${t%%:*}" PASS "$(cat "$out/fork-${t%%:*}.txt")"
	else
		result "fork-odirect:${t%%:*}" FAIL "$(tail -1 "$out/fork-${t%%:*}.txt")"
	fi
done
rm -f /mnt/ext4/race.dat

# ptrace-style writes (/proc/self/mem, __access_remote_vm()) into page
# cache and anonymous memory; the detail shows the pins it took (none on
# a kernel where that path uses FOLL_GET).
echo 1 > /proc/sys/vm/stat_refresh
acq0=$(vmstat nr_foll_pin_acquired)
if "$tools/remote-access" /mnt/ext4/remote.dat 64 > "$out/remote-access.txt" 2>&1; then
	echo 1 > /proc/sys/vm/stat_refresh
	result remote-access PASS "$(cat "$out/remote-access.txt"); pins taken: $(($(vmstat nr_foll_pin_acquired) - acq0))"
else
	result remote-access FAIL "$(tail -1 "$out/remote-access.txt")"
fi
rm -f /mnt/ext4/remote.dat

# Hole punch against a page cache folio that a device is writing into
# (pin-release.c): a slow O_DIRECT read (dm-delay rtslow, 3 s) into a
# MAP_SHARED mapping of an ext4 file, one 2 MiB folio, holds its pins
# across fsync and a punch of the folio's last page, whose split fails on
# the pins. Whatever the device wrote must be on disk after the read and
# another fsync. v7.2.8 loses it twice over: truncation drops the clean
# folio that failed to split from the page cache, and the failed split has
# already released its buffer heads, so ext4's writeback would drop the
# folio if it were kept ("does not have buffers attached": the detail
# counts those lines).
slow=
for d in /sys/block/dm-*; do
	[ "$(cat "$d/dm/name" 2>/dev/null)" = rtslow ] && slow=/dev/${d##*/}
done
nobufs() { dmesg | grep -c 'does not have buffers attached'; }
# --pageout: the same with reclaim (MADV_PAGEOUT) in place of the punch, a
# path that mainline closed in 6.4 (reclaim skips pinned folios).
pin_release() { # NAME ARGS...
	name=$1
	shift
	nb0=$(nobufs)
	if "$tools/pin-release" "$@" /mnt/ext4/pin-release.dat "$slow" > "$out/$name.txt" 2>&1; then
		st=PASS
	else
		st=FAIL
	fi
	result "$name" "$st" "$(tail -1 "$out/$name.txt"); ext4 'does not have buffers attached': $(($(nobufs) - nb0)) lines"
}
if [ -b "$slow" ]; then
	pin_release pin-release
	pin_release pin-release-pageout --pageout
else
	result pin-release FAIL "no dm-delay device rtslow (dm-mod.create= on the command line)"
	result pin-release-pageout FAIL "no dm-delay device rtslow (dm-mod.create= on the command line)"
fi
rm -f /mnt/ext4/pin-release.dat

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
	*) result "$name" FAIL "exit $rc ${tot} $(grep -E '^not ok|FAIL|rror' "$out/$name.txt" | head -2 | tr '\n' ' ')" ;;
	esac
}
# gup_test on THP-backed buffers (THP is "always"), one run per mode: GUP
# (-u: get_user_pages_fast(), -U: get_user_pages(), -L: pin_user_pages()
# FOLL_LONGTERM benchmark), PIN (-a: pin_user_pages_fast(), -b:
# pin_user_pages()), writable or not, shared or private, with 1, 512 and 123
# pages per call (a whole PMD, and runs that end inside one). The detail
# shows the THP faults and the pins the run set took.
gup_set() { # LABEL FLAGS: the whole matrix with extra gup_test flags
	label=$1 flags=$2
	echo 1 > /proc/sys/vm/stat_refresh
	thp0=$(vmstat thp_fault_alloc) p0=$(vmstat nr_foll_pin_acquired)
	for cmd in u U a b L; do
		for w in w W; do
			for share in S P; do
				s=; [ $share = S ] && s=-S
				for n in 1 512 123; do
					# shellcheck disable=SC2086
					ksft "gup_test$label-$cmd$w$share-n$n" "$tools/gup_test" -m 16 -$cmd -$w $s -n $n $flags
				done
			done
		done
	done
	echo 1 > /proc/sys/vm/stat_refresh
	echo "thp_faults=$(($(vmstat thp_fault_alloc) - thp0)) pins=$(($(vmstat nr_foll_pin_acquired) - p0))"
}
r=$(gup_set "" "")
echo "$r" | grep '^RESULT'
c=$(echo "$r" | grep -v '^RESULT')
# 60 runs of 16 MiB, each private run's buffer a fresh mapping: with THP
# "always", most must fault in as PMD-sized folios.
thp=${c#thp_faults=}; thp=${thp%% *}
result gup_test-thp-backed "$([ "$thp" -ge 60 ] && echo PASS || echo FAIL)" "$c (matrix of 60 runs on THP-backed 16 MiB buffers)"
r=$(gup_set -nothp -T)
echo "$r" | grep '^RESULT'
c=$(echo "$r" | grep -v '^RESULT')
thp=${c#thp_faults=}; thp=${thp%% *}
result gup_test-nothp "$([ "$thp" = 0 ] && echo PASS || echo FAIL)" "$c (MADV_NOHUGEPAGE: order-0 folios)"
# hugetlb: gup_test -H maps the buffer MAP_HUGETLB.
for cmd in u a L; do
	ksft "gup_test-hugetlb-${cmd}wP-n512" "$tools/gup_test" -m 16 -$cmd -w -n 512 -H
done
ksft gup_test-dump "$tools/gup_test" -ct -F 0x1 0 19 0x1000
ksft cow "$tools/cow"
# cow's cases by backing: THP and hugetlb must have run (pass), not only
# skipped. TAP lines: "ok N <case> ... with THP (2048 kB)", "ok N # SKIP ...".
tap_count() { # FILE PATTERN
	awk -v p="$2" '/^(not )?ok [0-9]+ / && $0 ~ p {
		if ($1 == "not") f++; else if (/# SKIP/) s++; else if (/# XFAIL/) x++; else ok++
	} END { printf "%d pass, %d xfail, %d skip, %d fail", ok, x, s, f }' "$1"
}
for b in THP hugetlb; do
	c=$(tap_count "$out/cow.txt" "$b")
	case $c in 0\ pass*) st=FAIL ;; *) st=PASS ;; esac
	result "cow-$b" "$st" "cases with $b: $c"
done
# Why cow skips what it skips: the message each skipped case printed last.
echo "INFO cow-skips: $(awk '/^# / && !/^# \[RUN\]/ { m = substr($0, 3) }
	/^ok [0-9]+ # SKIP/ { n[m]++ } END { for (k in n) printf "%d: %s; ", n[k], k }' "$out/cow.txt")"
(cd /mnt/ext4 && ksft gup_longterm "$tools/gup_longterm")

# Pin balance once I/O is quiesced: fold the per-CPU deltas first.
balance() { # NAME
	sync
	echo 1 > /proc/sys/vm/stat_refresh
	acq=$(vmstat nr_foll_pin_acquired)
	rel=$(vmstat nr_foll_pin_released)
	if [ -n "$acq" ] && [ "$acq" = "$rel" ]; then
		result "$1" PASS "acquired=$acq released=$rel"
	else
		result "$1" FAIL "acquired=$acq released=$rel"
	fi
}
balance pin-balance

# O_DIRECT through fs/direct-io.c (vfat), which takes extra pins with
# folio_add_pin(): its own balance line.
if mount -t vfat "$vfat" /mnt/vfat; then
	fio_job vfat-psync-64k /mnt/vfat/fio.dat --ioengine=psync --bs=64k
	fio_job vfat-libaio-mixed /mnt/vfat/fio.dat --ioengine=libaio --iodepth=8 --bssplit=4k/50:64k/50
	umount /mnt/vfat
	balance pin-balance-after-vfat
else
	result mount:vfat FAIL "cannot mount $vfat"
fi
umount /mnt/ext4

# CONFIG_DEBUG_GUP_REFS (patched kernel only): no pin released by a plain
# put, no unpin of a pin that was not there, over the whole run.
if grep -q '^gup_put_pinned ' /proc/vmstat; then
	put=$(($(vmstat gup_put_pinned) - refs0_put))
	under=$(($(vmstat gup_unpin_underflow) - refs0_under))
	if [ "$put" = 0 ] && [ "$under" = 0 ]; then
		result gup-refs PASS "gup_put_pinned +0, gup_unpin_underflow +0 (at boot, after KUnit: $refs0_put and $refs0_under)"
	else
		result gup-refs FAIL "gup_put_pinned +$put, gup_unpin_underflow +$under"
	fi
else
	result gup-refs SKIP "no CONFIG_DEBUG_GUP_REFS counters"
fi

# KASAN is built in (a report fails the kernel-log line): show that it is on.
if dmesg | grep -q 'KernelAddressSanitizer initialized'; then
	result kasan PASS "KASAN (generic) initialized at boot"
else
	result kasan FAIL "no 'KernelAddressSanitizer initialized' in the kernel log"
fi
# The kernel log: no warnings, BUGs, KASAN reports or bad pages.
dmesg > "$out/dmesg.txt"
pat='WARNING:|BUG:|BUG |KASAN:|bad page|Bad page|Oops|general protection'
bad=$(grep -cE "$pat" "$out/dmesg.txt")
if [ "$bad" = 0 ]; then
	result kernel-log PASS "no WARNING/BUG/KASAN report/bad page lines"
else
	result kernel-log FAIL "$bad lines: $(grep -E "$pat" "$out/dmesg.txt" | head -2 | tr '\n' ' ')"
fi
end
