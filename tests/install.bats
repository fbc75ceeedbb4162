#!/usr/bin/env bats
# make install: PREFIX and DESTDIR honoured, and the installed library and
# header build a program through pkg-config.
load helpers

# Every test here runs make in the one tree: never two at once.
setup_file() {
	export BATS_NO_PARALLELIZE_WITHIN_FILE=true
}

@test "install: every part lands under DESTDIR/PREFIX" {
	dest=$BATS_TEST_TMPDIR/root
	run make -s -C "$TOP" install DESTDIR="$dest" PREFIX=/opt/cxl
	assert_success
	for f in bin/cxl-switch include/cxlswitch.h lib/libcxlswitch.a \
		 lib/libcxlswitch.so.0 lib/pkgconfig/cxlswitch.pc \
		 share/man/man1/cxl-switch.1 share/man/man1/cxl-switch-bind.1 \
		 share/bash-completion/completions/cxl-switch \
		 share/zsh/vendor-completions/_cxl-switch \
		 share/cxl-switch/cxl-switch-fabric.schema.json \
		 share/cxl-switch/cxl-switch-output.schema.json; do
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

@test "install: LIBDIR puts the library in Debian's multiarch directory" {
	dest=$BATS_TEST_TMPDIR/root
	multiarch=$(gcc -print-multiarch)
	[ -n "$multiarch" ] || multiarch=x86_64-linux-gnu
	run make -s -C "$TOP" install DESTDIR="$dest" PREFIX=/usr \
		LIBDIR="/usr/lib/$multiarch"
	assert_success
	for f in libcxlswitch.a libcxlswitch.so.0 libcxlswitch.so pkgconfig/cxlswitch.pc; do
		[ -e "$dest/usr/lib/$multiarch/$f" ] || fail "missing $f"
	done
	[ ! -e "$dest/usr/lib/libcxlswitch.so.0" ] || fail "also installed in /usr/lib"
	run grep -x "libdir=/usr/lib/$multiarch" "$dest/usr/lib/$multiarch/pkgconfig/cxlswitch.pc"
	assert_success
}

@test "install: the shared library exports only cxlsw_ names" {
	make -s -C "$TOP" lib/libcxlswitch.so.0 >/dev/null
	run sh -c "nm -D --defined-only '$TOP/lib/libcxlswitch.so.0' | awk '\$2 != \"A\" { print \$3 }' | grep -v '^cxlsw_'"
	assert_output ""
	run sh -c "nm -D --defined-only '$TOP/lib/libcxlswitch.so.0' | grep -c ' cxlsw_'"
	[ "$output" -gt 50 ] || fail "only $output cxlsw_ names exported"
}

@test "clean: make clean removes everything the build made" {
	copy=$BATS_TEST_TMPDIR/tree
	mkdir "$copy"
	tar -C "$TOP" -cf - --exclude=./build-sanitize --exclude=./.git \
		--exclude='*.o' --exclude='*.d' --exclude='*.so*' --exclude='*.a' \
		--exclude=./cxl-switch/cxl-switch --exclude=./tests/emulator/cxl-switch-emu \
		--exclude=./tests/emulator/probe --exclude=./tests/emulator/host-probe \
		--exclude='./tests/emulator/*.inc' --exclude='./tests/bench/floor' \
		--exclude='./tests/bench/measure' --exclude=./cxlswitch.pc \
		--exclude='./tests/fuzz/fuzz-*[!c]' --exclude=./tests/fuzz/seed \
		--exclude=./tests/fuzz/corpus-run --exclude=./tests/fuzz/crashes \
		--exclude=./tests/fuzz/obj --exclude='./tests/emulator/*-probe' \
		--exclude='./tests/emulator/*.so' . |
		tar -C "$copy" -xf -
	(cd "$copy" && find . | sort) > "$BATS_TEST_TMPDIR/before"
	run make -s -j2 -C "$copy" all cxlswitch.pc tests/emulator/cxl-switch-emu \
		tests/emulator/probe tests/emulator/host-probe tests/bench/floor \
		tests/bench/measure tests/fuzz/seed
	assert_success
	mkdir -p "$copy/build-sanitize/x" "$copy/tests/fuzz/corpus-run/x" "$copy/tests/fuzz/crashes/x"
	run make -s -C "$copy" clean
	assert_success
	(cd "$copy" && find . | sort) > "$BATS_TEST_TMPDIR/after"
	run diff "$BATS_TEST_TMPDIR/before" "$BATS_TEST_TMPDIR/after"
	assert_success
}

@test "license: every source's SPDX tag is the one LICENSE states" {
	want=$(sed -n 's/^SPDX-License-Identifier: //p' "$TOP/LICENSE")
	[ "$want" = "LGPL-2.1-or-later" ] || fail "LICENSE states '$want'"
	run sh -c "cd '$TOP' && grep -rhoE 'SPDX-License-Identifier: [A-Za-z0-9.+-]+' \
		--include='*.c' --include='*.h' --include='*.bats' --include='*.bash' \
		--include='*.mk' --include='*.1' --include=Makefile cxl-switch lib tests man \
		completions Makefile | sort -u"
	assert_output "SPDX-License-Identifier: $want"
}
