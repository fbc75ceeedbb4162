# SPDX-License-Identifier: LGPL-2.1-or-later
# The emulated CXL switch, tests/emulator/cxl-switch-emu. Included from the
# top-level Makefile; paths are relative to the top of the tree.
#
# Flags are the emulator's own (its warnings must not depend on the tool's);
# $(SANITIZE), e.g. SANITIZE="-fsanitize=address,undefined", is added to
# both compiling and linking.
#
# EMU_MODEL_OBJS is the model alone (no umockdev, no json-c), for fuzzers
# and unit tests; EMU_TOPOLOGY_OBJS adds the JSON loader and saver.

EMU_DIR := tests/emulator
EMU_PKGS := umockdev-1.0 json-c
EMU_PKG_CONFIG := $(or $(PKG_CONFIG),pkg-config)
EMU_CFLAGS := -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow \
	-Wformat=2 -Wmissing-prototypes -O2 -g -MMD -MP \
	$(shell $(EMU_PKG_CONFIG) --cflags $(EMU_PKGS) 2>/dev/null)
EMU_LIBS := $(shell $(EMU_PKG_CONFIG) --libs $(EMU_PKGS) 2>/dev/null) -lpthread

EMU_MODEL_OBJS := $(addprefix $(EMU_DIR)/,model.o model-generic.o \
	model-switch.o model-tunnel.o model-device.o model-mld.o model-dcd.o \
	model-fw.o model-events.o model-time.o model-profile.o model-qemu.o \
	model-qemu-dev.o model-ld-io.o model-dev-maint.o)
EMU_TOPOLOGY_OBJS := $(EMU_MODEL_OBJS) $(addprefix $(EMU_DIR)/,names.o \
	json-get.o json-put.o topology.o topology-save.o topology-device.o \
	topology-fw-events.o)
EMU_OBJS := $(EMU_TOPOLOGY_OBJS) $(addprefix $(EMU_DIR)/,fault.o stats.o trace.o \
	fault-tunnel.o host-sysfs.o \
	ioctl.o mctp.o testbed.o extras.o frontend.o default-topology.o)
EMU_SHIM := $(EMU_DIR)/cxl-switch-emu-syslog.so
EMU_MCTP_SHIM := $(EMU_DIR)/cxl-switch-emu-mctp.so

# The shims (syslog-shim.c, preloaded into every child; mctp-shim.c, with
# --mctp) are found next to the emulator, so building the one builds the
# others.
$(EMU_DIR)/cxl-switch-emu: $(EMU_OBJS) | $(EMU_SHIM) $(EMU_MCTP_SHIM)
	$(CC) $(SANITIZE) -o $@ $^ $(EMU_LIBS)

# preloaded into the child: no sanitizer, it must not need a runtime
$(EMU_SHIM): $(EMU_DIR)/syslog-shim.c
	$(CC) $(filter-out -MMD -MP,$(EMU_CFLAGS)) -fPIC -shared \
		-fvisibility=hidden -o $@ $< -lpthread -ldl

$(EMU_MCTP_SHIM): $(EMU_DIR)/mctp-shim.c $(EMU_DIR)/mctp-wire.h
	$(CC) $(filter-out -MMD -MP,$(EMU_CFLAGS)) -fPIC -shared \
		-fvisibility=hidden -o $@ $< -ldl -lpthread

$(EMU_DIR)/%.o: $(EMU_DIR)/%.c
	$(CC) $(EMU_CFLAGS) $(SANITIZE) -c -o $@ $<

# probe: a raw mailbox client for checking the emulator's driver checks
# (bad sizes, NULL pointers, ioctl latency) that the tool never triggers.
$(EMU_DIR)/probe: $(EMU_DIR)/probe.c
	$(CC) $(EMU_CFLAGS) $(SANITIZE) -o $@ $<

# mctp-probe: one raw AF_MCTP request, for the MCTP side's checks of
# messages the tool never sends (another type, a lying length).
$(EMU_DIR)/mctp-probe: $(EMU_DIR)/mctp-probe.c
	$(CC) $(EMU_CFLAGS) $(SANITIZE) -o $@ $<

# host-probe: a libcxl client listing the host's memdevs and their serial
# numbers, for checking the emulator's host side (host-sysfs.c).
$(EMU_DIR)/host-probe: $(EMU_DIR)/host-probe.c
	$(CC) $(EMU_CFLAGS) $(SANITIZE) \
		$$($(EMU_PKG_CONFIG) --cflags libcxl) -o $@ $< \
		$$($(EMU_PKG_CONFIG) --libs libcxl)

# The default topology is built in, as bytes (od, not xxd: always there).
$(EMU_DIR)/default-topology.inc: tests/topologies/default.json
	od -An -v -tx1 $< | sed -e 's/\([0-9a-f][0-9a-f]\)/0x\1,/g' > $@.tmp
	mv $@.tmp $@

$(EMU_DIR)/default-topology.o: $(EMU_DIR)/default-topology.inc

# (the top-level Makefile includes every .d file)

CLEAN_FILES += $(EMU_DIR)/cxl-switch-emu $(EMU_OBJS) $(EMU_OBJS:.o=.d) \
	$(EMU_DIR)/default-topology.inc $(EMU_DIR)/default-topology.inc.tmp \
	$(EMU_DIR)/probe $(EMU_DIR)/probe.d $(EMU_SHIM) $(EMU_MCTP_SHIM) \
	$(EMU_DIR)/host-probe $(EMU_DIR)/host-probe.d \
	$(EMU_DIR)/mctp-probe $(EMU_DIR)/mctp-probe.d
