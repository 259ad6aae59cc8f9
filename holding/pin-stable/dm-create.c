// SPDX-License-Identifier: GPL-2.0
/*
 * Creates and activates a one-target device-mapper device through the DM
 * ioctls, for a guest that has no dmsetup and a target that dm-mod.create=
 * does not accept (dm-init allows only a few). Prints the new device's
 * node name (dm-N).
 *
 * Usage: dm-create NAME START LENGTH TARGET PARAMS
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/dm-ioctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static union {
	struct dm_ioctl io;
	char bytes[16384];
} buf;

static void fail(const char *what)
{
	fprintf(stderr, "dm-create: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void start(const char *name)
{
	memset(&buf, 0, sizeof(buf));
	buf.io.version[0] = DM_VERSION_MAJOR;
	buf.io.data_size = sizeof(buf);
	buf.io.data_start = sizeof(struct dm_ioctl);
	snprintf(buf.io.name, sizeof(buf.io.name), "%s", name);
}

int main(int argc, char **argv)
{
	struct dm_target_spec *spec;
	int fd;

	if (argc != 6) {
		fprintf(stderr, "usage: dm-create NAME START LENGTH TARGET PARAMS\n");
		return 2;
	}
	if (strlen(argv[1]) >= DM_NAME_LEN || strlen(argv[4]) >= DM_MAX_TYPE_NAME ||
	    strlen(argv[5]) >= sizeof(buf) - sizeof(struct dm_ioctl) - sizeof(*spec)) {
		fprintf(stderr, "dm-create: name, target or parameters too long\n");
		return 2;
	}
	fd = open("/dev/mapper/control", O_RDWR);
	if (fd < 0)
		fail("/dev/mapper/control");

	start(argv[1]);
	if (ioctl(fd, DM_DEV_CREATE, &buf))
		fail("DM_DEV_CREATE");

	start(argv[1]);
	buf.io.target_count = 1;
	spec = (struct dm_target_spec *)(buf.bytes + buf.io.data_start);
	spec->sector_start = strtoull(argv[2], NULL, 0);
	spec->length = strtoull(argv[3], NULL, 0);
	snprintf(spec->target_type, sizeof(spec->target_type), "%s", argv[4]);
	strcpy((char *)(spec + 1), argv[5]);
	if (ioctl(fd, DM_TABLE_LOAD, &buf)) {
		int err = errno;

		start(argv[1]);
		ioctl(fd, DM_DEV_REMOVE, &buf);
		errno = err;
		fail("DM_TABLE_LOAD (the kernel log says why)");
	}

	start(argv[1]);
	if (ioctl(fd, DM_DEV_SUSPEND, &buf))	/* no DM_SUSPEND_FLAG: resume */
		fail("DM_DEV_SUSPEND (resume)");
	printf("dm-%u\n", minor(buf.io.dev));
	close(fd);
	return 0;
}
