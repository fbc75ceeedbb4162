# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Check a JSON document against a JSON Schema (draft 2020-12), for the
# keywords the project's schemas use, with jq alone (no validator to
# install):
#
#   jq -r --slurpfile schema man/cxl-switch-fabric.schema.json \
#      -f tests/schema.jq FILE.json
#
# Prints what is wrong, one line each, with the path of the value in the
# tool's key style ("switches[0].vcss[1].vppbs[2].port: ..."); nothing when
# the document is valid.  A schema keyword this checker does not know is
# itself an error, so that a rule is never passed by being ignored.
# Keywords (JSON Schema Validation, draft 2020-12, sections 6.1-6.5, and
# Core 10.2-10.3): type, const, minimum, maximum, pattern, required,
# properties, additionalProperties (false only), items, oneOf, $ref (to
# "#/..." only), and for the output schema (cxl-switch(1), JSON OUTPUT)
# enum, allOf, anyOf and if/then/else (Core 10.2.1.1, 10.2.2.1-3), and type as
# a list of types; title, description, $schema, $id and $defs are notes.

def known:
	["$schema", "$id", "$defs", "title", "description", "$ref", "type",
	 "const", "minimum", "maximum", "pattern", "required", "properties",
	 "additionalProperties", "items", "oneOf", "enum", "allOf", "anyOf", "if",
	 "then", "else"];

def at($p; $k): if $p == "" then $k else "\($p).\($k)" end;

def shown($p): if $p == "" then "(top)" else $p end;

def type_ok($t):
	if ($t | type) == "array" then
		. as $v | any($t[]; . as $one | $v | type_ok($one))
	elif $t == "integer" then type == "number" and . == floor
	elif $t == "number" then type == "number"
	else type == $t end;

def check($s; $root; $p):
	. as $v
	| ($s | keys - known) as $unknown
	| (if $unknown != [] then
		"\(shown($p)): the checker does not know the schema keyword(s) \($unknown | join(", "))"
	   else empty end),
	  (if $s | has("$ref") then
		if ($s["$ref"] | startswith("#/")) then
			check($root | getpath($s["$ref"] | ltrimstr("#/") | split("/"));
			      $root; $p)
		else "\(shown($p)): the checker does not follow $ref \($s["$ref"])" end
	   else empty end),
	  (if ($s | has("type")) and ($v | type_ok($s.type) | not) then
		"\(shown($p)): expected \($s.type), not \($v | type)"
	   else empty end),
	  (if ($s | has("const")) and $v != $s.const then
		"\(shown($p)): expected \($s.const | tojson), not \($v | tojson)"
	   else empty end),
	  (if ($s | has("enum")) and (any($s.enum[]; . == $v) | not) then
		"\(shown($p)): \($v | tojson) is none of \($s.enum | tojson)"
	   else empty end),
	  (if $s | has("allOf") then
		$s.allOf[] as $sub | $v | check($sub; $root; $p)
	   else empty end),
	  (if ($s | has("anyOf")) and
	      ([$s.anyOf[] as $o | [$v | check($o; $root; $p)] | length == 0] | any | not) then
		"\(shown($p)): matches none of \($s.anyOf | map(.required // [] | join(",")) | join(" | "))"
	   else empty end),
	  (if $s | has("if") then
		if ([$v | check($s["if"]; $root; $p)] | length) == 0 then
			$v | check($s["then"] // {}; $root; $p)
		else
			$v | check($s["else"] // {}; $root; $p)
		end
	   else empty end),
	  (if ($v | type) == "number" then
		(if ($s | has("minimum")) and $v < $s.minimum then
			"\(shown($p)): \($v) is below the minimum \($s.minimum)" else empty end),
		(if ($s | has("maximum")) and $v > $s.maximum then
			"\(shown($p)): \($v) is above the maximum \($s.maximum)" else empty end)
	   else empty end),
	  (if ($v | type) == "string" and ($s | has("pattern")) and
	      ($v | test($s.pattern) | not) then
		"\(shown($p)): \($v | tojson) does not match \($s.pattern)"
	   else empty end),
	  (if ($v | type) == "object" then
		(($s.required // [])[] | select(. as $k | $v | has($k) | not)
		 | "\(shown($p)): missing key '\(.)'"),
		(if ($s | has("additionalProperties")) and
		    $s.additionalProperties != false then
			"\(shown($p)): the checker knows additionalProperties false only"
		 elif $s.additionalProperties == false then
			($v | keys[]) as $k
			| select(($s.properties // {}) | has($k) | not)
			| "\(at($p; $k)): unknown key"
		 else empty end),
		(($s.properties // {}) | to_entries[]) as $e
		| select($v | has($e.key))
		| $v[$e.key] | check($e.value; $root; at($p; $e.key))
	   else empty end),
	  (if ($v | type) == "array" and ($s | has("items")) then
		range($v | length) as $i
		| $v[$i] | check($s.items; $root; "\($p)[\($i)]")
	   else empty end),
	  (if $s | has("oneOf") then
		([$s.oneOf[] as $o | [$v | check($o; $root; $p)] | length == 0]
		 | map(select(.)) | length) as $n
		| if $n != 1 then
			"\(shown($p)): \($v | tojson) matches \($n) of the \($s.oneOf | length) choices, not one"
		  else empty end
	   else empty end);

$schema[0] as $s | check($s; $s; "")
