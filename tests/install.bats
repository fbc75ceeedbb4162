#!/usr/bin/env bats
# make install: PREFIX and DESTDIR honoured, and the installed library and
# header build a program through pkg-config.
load helpers

@test "install: every part lands under DESTDIR/PREFIX" {
	dest=$BATS_TEST_TMPDIR/root
	run make -s -C "$TOP" install DESTDIR="$dest" PREFIX=/opt/cxl
	assert_success
	for f in bin/cxl-switch include/cxlswitch.h lib/libcxlswitch.a \
		 lib/libcxlswitch.so.0 lib/pkgconfig/cxlswitch.pc \
		 share/man/man1/cxl-switch.1 share/man/man1/cxl-switch-bind.1 \
		 share/bash-completion/completions/cxl-switch \
		 share/zsh/vendor-completions/_cxl-switch; do
		[ -e "$dest/opt/cxl/$f" ] || fail "missing $f"
	done
	run grep -x 'prefix=/opt/cxl' "$dest/opt/cxl/lib/pkgconfig/cxlswitch.pc"
	assert_success
}

@test "install: a program builds against the installed library" {
	dest=$BATS_TEST_TMPDIR/root
	make -s -C "$TOP" install DESTDIR="$dest" PREFIX=/usr >/dev/null
	cat > "$BATS_TEST_TMPDIR/t.c" <<'C'
#include <cxlswitch.h>
#include <stdio.h>
int main(void)
{
	size_t n;
	cxlsw_catalog(&n);
	printf("%s %zu\n", cxlsw_retcode_name(CXLSW_RC_BUSY), n > 0);
	return 0;
}
C
	export PKG_CONFIG_SYSROOT_DIR=$dest PKG_CONFIG_LIBDIR=$dest/usr/lib/pkgconfig
	run cc -o "$BATS_TEST_TMPDIR/t" "$BATS_TEST_TMPDIR/t.c" $(pkg-config --cflags --libs cxlswitch)
	assert_success
	run env LD_LIBRARY_PATH="$dest/usr/lib" "$BATS_TEST_TMPDIR/t"
	assert_output "Busy 1"
}
