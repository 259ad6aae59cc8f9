#!/bin/busybox sh
# /init of the scripts/bench initramfs (x86_64 under QEMU TCG with -icount).
# Runs the same workloads on the base and on the patched kernel and prints
# machine-readable lines on the serial console:
#   BENCH fio <job> ios=<N> runtime_ms=<ms> iops=<fio's IOPS>
#   BENCH gup <test> pages=<N> reps=<R> get_us=<sum> put_us=<sum> thp_faults=<N>
#   BENCH nvme <job> ios=<N> elapsed_ns=<guest ns> busy_ns=<ns not spent in spin>
#   BENCH info <key>=<value>...
#   BENCH_DONE | BENCH_FAIL <reason>
# then ends the VM. Kernel command line variables: BENCH_IOS (I/Os per fio
# job), BENCH_GUP_MB (gup_test buffer size, MiB), BENCH_GUP_REPS.
# Workloads: fio O_DIRECT 4 KiB randread/randwrite on /dev/nullb0 (built-in
# null_blk, parameters on the kernel command line) with io_uring iodepth=32
# and psync iodepth=1, a fixed number of I/Os each after a warm-up job;
# gup_test GUP_FAST_BENCHMARK (-u) and PIN_FAST_BENCHMARK (-a), THP-backed
# (-t) and not (-T); O_DIRECT 4 KiB randread on QEMU's emulated NVMe
# (/dev/nvme0n1: the DMA mapping path), io_uring iodepth=32 and psync
# iodepth=1, BENCH_NVME_IOS I/Os each, with /bench/spin soaking up the time
# the vCPU would otherwise halt (see spin.c): busy_ns is the elapsed guest
# time minus spin's CPU time, the instructions the I/O ran.

/bin/busybox mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
/bin/busybox --install -s /bin
export PATH=/bin:/usr/bin
export LD_LIBRARY_PATH=/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu/ceph
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp

# No ACPI in this config: "reboot -f" ends QEMU, which runs with -no-reboot.
fail() { echo "BENCH_FAIL $*"; sync; reboot -f; }
[ "$$" = 1 ] || { echo "init.sh: not PID 1 of a benchmark kernel" >&2; exit 1; }
ios=${BENCH_IOS:-500000}
mb=${BENCH_GUP_MB:-256}
reps=${BENCH_GUP_REPS:-10}
nvme_ios=${BENCH_NVME_IOS:-100000}
[ -b /dev/nullb0 ] || fail "no /dev/nullb0 (null_blk)"
# The NVMe controller is probed asynchronously.
for i in $(seq 50); do [ -b /dev/nvme0n1 ] && break; sleep 0.1; done
[ -b /dev/nvme0n1 ] || fail "no /dev/nvme0n1 (QEMU -device nvme, CONFIG_BLK_DEV_NVME)"
[ -e /sys/kernel/debug/gup_test ] || fail "no /sys/kernel/debug/gup_test (CONFIG_GUP_TEST)"
echo "BENCH info kernel=$(uname -r) null_blk=queue_mode:$(cat /sys/module/null_blk/parameters/queue_mode),irqmode:$(cat /sys/module/null_blk/parameters/irqmode),memory_backed:$(cat /sys/module/null_blk/parameters/memory_backed) thp=$(sed 's/.*\[\(.*\)\].*/\1/' /sys/kernel/mm/transparent_hugepage/enabled)"

# fio_run NAME RW ENGINE DEPTH COUNT [DEVICE]: O_DIRECT 4 KiB I/O on DEVICE
# (default nullb0), COUNT I/Os.
fio_run() {
	/usr/bin/fio --name="$1" --filename="${6:-/dev/nullb0}" --direct=1 --rw="$2" \
		--bs=4k --ioengine="$3" --iodepth="$4" --size=1g \
		--io_size=$(($5 * 4))k --randrepeat=1 --norandommap \
		--clocksource=clock_gettime --output-format=terse \
		--terse-version=3 --output=/tmp/fio.txt >/tmp/fio.err 2>&1 ||
		fail "fio $1: $(head -c 300 /tmp/fio.err /tmp/fio.txt | tr '\n' ' ')"
	case $2 in
	*read) cut -d';' -f6,8,9 /tmp/fio.txt ;;
	*) cut -d';' -f47,49,50 /tmp/fio.txt ;;
	esac
}

for job in randread:io_uring:32 randwrite:io_uring:32 randread:psync:1 randwrite:psync:1; do
	rw=${job%%:*} rest=${job#*:}
	eng=${rest%%:*} qd=${rest#*:}
	name=$rw-$eng-qd$qd
	fio_run warmup "$rw" "$eng" "$qd" 2000 >/dev/null
	r=$(fio_run "$name" "$rw" "$eng" "$qd" "$ios")
	kb=${r%%;*} r=${r#*;}
	echo "BENCH fio $name ios=$((kb / 4)) runtime_ms=${r#*;} iops=${r%%;*}"
done

# gup_test prints "# <CMD>: Time: get:<us> put:<us> us" once per repetition.
for cmd in u a; do
	for thp in t T; do
		thp0=$(awk '$1 == "thp_fault_alloc" {print $2}' /proc/vmstat)
		/bench/gup_test -$cmd -$thp -m "$mb" -n 512 -r "$reps" >/tmp/gup.txt 2>&1 ||
			fail "gup_test -$cmd -$thp: $(tail -3 /tmp/gup.txt | tr '\n' ' ')"
		set -- $(sed -n 's/.*Time: get:\([0-9]*\) put:\([0-9]*\) us.*/\1 \2/p' /tmp/gup.txt |
			awk '{g += $1; p += $2; n++} END {print n, g, p}')
		[ "$1" = "$reps" ] || fail "gup_test -$cmd -$thp: $1 of $reps timings ($(tail -2 /tmp/gup.txt | tr '\n' ' '))"
		case $cmd in u) t=gup_fast ;; a) t=pin_fast ;; esac
		case $thp in t) t=$t-thp ;; T) t=$t-nothp ;; esac
		thp1=$(awk '$1 == "thp_fault_alloc" {print $2}' /proc/vmstat)
		echo "BENCH gup $t pages=$((mb * 256)) reps=$reps get_us=$2 put_us=$3 thp_faults=$((thp1 - thp0))"
	done
done
# The NVMe jobs. The guest clock: "now at <ns> nsecs" of /proc/timer_list.
guest_ns() { sed -n 's/^now at \([0-9]*\) nsecs$/\1/p' /proc/timer_list; }
mkfifo /tmp/spin.fifo || fail "mkfifo"
/bench/spin > /tmp/spin.fifo &
spin=$!
exec 3< /tmp/spin.fifo
# spin_ns: spin's CPU time so far.
spin_ns() { kill -USR1 "$spin" && read -r ns <&3 && echo "$ns"; }
read -r ready <&3 && [ "$ready" = ready ] || fail "spin did not start"
spin_ns >/dev/null || fail "spin does not answer"
for job in randread:io_uring:32 randread:psync:1; do
	rw=${job%%:*} rest=${job#*:}
	eng=${rest%%:*} qd=${rest#*:}
	name=$rw-$eng-qd$qd
	fio_run warmup "$rw" "$eng" "$qd" 2000 /dev/nvme0n1 >/dev/null
	s0=$(spin_ns) t0=$(guest_ns)
	r=$(fio_run "$name" "$rw" "$eng" "$qd" "$nvme_ios" /dev/nvme0n1)
	t1=$(guest_ns) s1=$(spin_ns)
	[ -n "$s0" ] && [ -n "$s1" ] && [ -n "$t0" ] && [ -n "$t1" ] || fail "nvme $name: no clock readings"
	kb=${r%%;*}
	echo "BENCH nvme $name ios=$((kb / 4)) elapsed_ns=$((t1 - t0)) busy_ns=$((t1 - t0 - (s1 - s0)))"
done
kill "$spin"
echo BENCH_DONE
sync
reboot -f
