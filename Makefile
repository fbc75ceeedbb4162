# SPDX-License-Identifier: LGPL-2.1-or-later
# cxl-switch: a CXL fabric-management tool.  Plain make, pkg-config.
VERSION		:= 0.1.0
PREFIX		?= /usr/local
BINDIR		?= $(PREFIX)/bin
LIBDIR		?= $(PREFIX)/lib
INCLUDEDIR	?= $(PREFIX)/include
MANDIR		?= $(PREFIX)/share/man
DATADIR		?= $(PREFIX)/share
CC		?= cc
PKG_CONFIG	?= pkg-config

# Debian's multiarch directory when asked, e.g.
# `make install PREFIX=/usr LIBDIR=/usr/lib/$$(dpkg-architecture -qDEB_HOST_MULTIARCH)`.
# SANITIZE is added to compiling and linking: `make SANITIZE=...` or
# `make sanitize`, which sets it for the whole suite.
WARN		:= -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wmissing-prototypes
CFLAGS		?= -O2 -g
ALL_CFLAGS	= -std=gnu11 $(WARN) $(CFLAGS) $(SANITIZE) -D_GNU_SOURCE \
		  -DCXLSW_VERSION='"$(VERSION)"' -MMD -MP
ALL_LDFLAGS	= $(LDFLAGS) $(SANITIZE)

JSONC_CFLAGS	= $(shell $(PKG_CONFIG) --cflags json-c 2>/dev/null)
JSONC_LIBS	= $(shell $(PKG_CONFIG) --libs json-c 2>/dev/null || echo -ljson-c)
CXL_CFLAGS	= $(shell $(PKG_CONFIG) --cflags libcxl 2>/dev/null)
# libcxl is opened at run time (lib/host.c): only its header is needed here.
CXL_LIBS	= -ldl

LIB_SRCS	:= $(wildcard lib/*.c)
LIB_OBJS	:= $(LIB_SRCS:.c=.o)
LIB_PIC_OBJS	:= $(LIB_SRCS:.c=.pic.o)
LIB_A		:= lib/libcxlswitch.a
LIB_SO_NAME	:= libcxlswitch.so.0
LIB_SO		:= lib/$(LIB_SO_NAME)
CLI_SRCS	:= $(wildcard cxl-switch/*.c)
CLI_OBJS	:= $(CLI_SRCS:.c=.o)
CLI		:= cxl-switch/cxl-switch
MANPAGES	:= $(wildcard man/*.1)

CLEAN_FILES	:= $(LIB_OBJS) $(LIB_PIC_OBJS) $(LIB_A) $(LIB_SO) lib/libcxlswitch.so \
		   $(CLI_OBJS) $(CLI) cxlswitch.pc

.PHONY: all check check-plain demo install clean sanitize valgrind bench fuzz fuzz-merge deps-check deps-demo deps-fuzz
all: $(LIB_A) $(LIB_SO) $(CLI)

lib/%.o: lib/%.c
	$(CC) $(ALL_CFLAGS) $(CXL_CFLAGS) -c -o $@ $<
lib/%.pic.o: lib/%.c
	$(CC) $(ALL_CFLAGS) $(CXL_CFLAGS) -fPIC -c -o $@ $<
$(LIB_A): $(LIB_OBJS)
	$(AR) rcs $@ $^
LIB_MAP		:= lib/libcxlswitch.map
$(LIB_SO): $(LIB_PIC_OBJS) $(LIB_MAP)
	$(CC) -shared -Wl,-soname,$(LIB_SO_NAME) -Wl,--version-script=$(LIB_MAP) \
		$(ALL_LDFLAGS) -o $@ $(LIB_PIC_OBJS) $(CXL_LIBS)
	ln -sf $(LIB_SO_NAME) lib/libcxlswitch.so

cxl-switch/%.o: cxl-switch/%.c
	$(CC) $(ALL_CFLAGS) $(JSONC_CFLAGS) -Ilib -c -o $@ $<
# The tool links the library statically: one binary to copy to a BMC.
$(CLI): $(CLI_OBJS) $(LIB_A)
	$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJS) $(LIB_A) $(JSONC_LIBS) $(CXL_LIBS)

include tests/emulator/emulator.mk
include tests/tests.mk

cxlswitch.pc: FORCE
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$(LIBDIR)' \
		'includedir=$(INCLUDEDIR)' '' 'Name: libcxlswitch' \
		'Description: CXL switch fabric management over the mailbox CCI' \
		'Version: $(VERSION)' 'Libs.private: -ldl' \
		'Libs: -L$${libdir} -lcxlswitch' \
		'Cflags: -I$${includedir}' > $@

install: all cxlswitch.pc
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig \
		$(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(DATADIR)/bash-completion/completions \
		$(DESTDIR)$(DATADIR)/zsh/vendor-completions \
		$(DESTDIR)$(DATADIR)/cxl-switch
	install -m 755 $(CLI) $(DESTDIR)$(BINDIR)/
	install -m 644 $(LIB_A) $(DESTDIR)$(LIBDIR)/
	install -m 755 $(LIB_SO) $(DESTDIR)$(LIBDIR)/
	ln -sf $(LIB_SO_NAME) $(DESTDIR)$(LIBDIR)/libcxlswitch.so
	install -m 644 lib/cxlswitch.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 644 cxlswitch.pc $(DESTDIR)$(LIBDIR)/pkgconfig/
	install -m 644 $(MANPAGES) $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/cxl-switch-fabric.schema.json \
		man/cxl-switch-output.schema.json $(DESTDIR)$(DATADIR)/cxl-switch/
	install -m 644 completions/cxl-switch.bash \
		$(DESTDIR)$(DATADIR)/bash-completion/completions/cxl-switch
	install -m 644 completions/_cxl-switch \
		$(DESTDIR)$(DATADIR)/zsh/vendor-completions/

clean:
	rm -f $(CLEAN_FILES) $(shell find . -name '*.d' -not -path './.git/*')
	rm -rf $(CLEAN_DIRS)

-include $(shell find lib cxl-switch tests -name '*.d' 2>/dev/null)

FORCE:
.PHONY: FORCE
