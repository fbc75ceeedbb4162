# A structural JSON Schema check in jq, for the subset the output schema
# uses: type, const, enum, minimum, required, properties,
# additionalProperties: false, items, allOf, if/then/else, $ref to $defs.
# Usage: jq --slurpfile schema S -f schema.jq: prints the errors, one a line.
def typeok($t):
	. as $v | [$t] | flatten | any(. as $one |
		if $one == "integer" then ($v | type) == "number" and ($v | floor) == $v
		else ($v | type) == $one end);

def check($s; $root; $p):
	. as $v |
	if ($s | has("$ref")) then
		check($root["$defs"][$s["$ref"] | ltrimstr("#/$defs/")]; $root; $p)
	else
		(if ($s | has("type")) and (typeok($s.type) | not) then
			"\($p): expected \($s.type | tojson), got \($v | type)" else empty end),
		(if ($s | has("const")) and $v != $s.const then
			"\($p): expected \($s.const | tojson), got \($v | tojson)" else empty end),
		(if ($s | has("enum")) and (any($s.enum[]; . == $v) | not) then
			"\($p): \($v | tojson) is none of \($s.enum | tojson)" else empty end),
		(if ($s | has("minimum")) and ($v | type) == "number" and $v < $s.minimum then
			"\($p): \($v) below \($s.minimum)" else empty end),
		(if ($v | type) == "object" then
			(($s.required // [])[] | select(. as $k | $v | has($k) | not) |
				"\($p): missing \(.)"),
			(($s.properties // {}) | to_entries[] | select(.key as $k | $v | has($k)) |
				. as $e | $v[$e.key] | check($e.value; $root; "\($p).\($e.key)")),
			(if $s.additionalProperties == false then
				$v | keys[] | select(. as $k | $s.properties // {} | has($k) | not) |
				"\($p): unexpected member \(.)" else empty end)
		else empty end),
		(if ($v | type) == "array" and ($s | has("items")) then
			range(0; $v | length) as $i | $v[$i] | check($s.items; $root; "\($p)[\($i)]")
		else empty end),
		(if ($s | has("allOf")) then $s.allOf[] as $sub | $v | check($sub; $root; $p)
		else empty end),
		(if ($s | has("if")) then
			if ([$v | check($s["if"]; $root; $p)] | length) == 0 then
				$v | check($s["then"] // {}; $root; $p)
			else
				$v | check($s["else"] // {}; $root; $p)
			end
		else empty end)
	end;

$schema[0] as $s | check($s; $s; "")
