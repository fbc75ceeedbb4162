#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Generate big256.json: a 256-port switch with 16 VCSs of 64 vPPBs each.
# Ports 0..15 are the USPs (USP n belongs to VCS n); ports 16..255 are
# DSPs with a repeating mix of devices, chosen by port id % 10:
#   0 SLD x8 32GT      1 MLD (16 LDs) x16 32GT   2 SLD x4 16GT
#   3 PCIe x4 16GT     4 MLD (8 LDs) x16 64GT    5 nothing connected
#   6 Type 2 x8 32GT   7 SLD x16 64GT            8 MLD (4 LDs) x8 32GT
#   9 Type 1 x8 32GT, or a disabled port when id % 20 == 19
# Every connected non-MLD DSP is bound to VCS (id - 16) % 16; LD k of an
# MLD on port p is bound to VCS (p + k) % 16, so each MLD is pooled across
# VCSs. A VCS's bindings fill its vPPBs from 0; the rest stay unbound.
#
# Usage: gen-big256.sh > big256.json (run from anywhere; needs jq)
set -euo pipefail

# jq prints 5.0 as 5; speeds go out as "@5.0@" and sed unquotes them, so
# the file reads exactly like the emulator's --save output.
jq -n --indent 2 '
def speed($s): "@" + ($s | tostring | if test("\\.") then . else . + ".0" end) + "@";
def speeds($max): [2.5, 5, 8, 16, 32, 64] | map(select(. <= $max) | speed(.));
def port($id; $state; $dev; $ver; $w; $cur; $max; $ld; $ltssm; $prsnt):
  {
    port_id: $id,
    config_state: $state,
    connected_cxl_version: $ver,
    connected_device_type: $dev,
    supported_cxl_versions: (["cxl_1.1", "cxl_2.0"] +
                             (if $max == 64 then ["256b_flit"] else [] end)),
    max_link_width: 16,
    negotiated_link_width: $w,
    supported_link_speeds_gts: speeds($max),
    max_link_speed_gts: speed($max),
    current_link_speed_gts: (if $cur == null then null else speed($cur) end),
    ltssm_state: $ltssm,
    first_negotiated_lane: 0,
    link_state_flags: { lane_reversal: false, perst_asserted: false,
                        prsnt_detected: $prsnt, power_off: false },
    supported_ld_count: $ld
  };
def up($d; $w; $s; $max; $ld): port(.; "dsp"; $d; "cxl_68b_flit_vh"; $w; $s; $max; $ld; "l0"; true);
def mkport:
  if . < 16 then port(.; "usp"; "none"; "cxl_68b_flit_vh"; 16; 32; 32; 0; "l0"; true)
  elif . % 10 == 0 then up("cxl_type3_sld"; 8; 32; 32; 0)
  elif . % 10 == 1 then up("cxl_type3_mld"; 16; 32; 32; 16)
  elif . % 10 == 2 then up("cxl_type3_sld"; 4; 16; 32; 0)
  elif . % 10 == 3 then port(.; "dsp"; "pcie"; "none"; 4; 16; 32; 0; "l0"; true)
  elif . % 10 == 4 then up("cxl_type3_mld"; 16; 64; 64; 8)
  elif . % 10 == 5 then port(.; "dsp"; "none"; "none"; 0; null; 32; 0; "detect"; false)
  elif . % 10 == 6 then up("cxl_type2_or_hbr_switch"; 8; 32; 32; 0)
  elif . % 10 == 7 then up("cxl_type3_sld"; 16; 64; 64; 0)
  elif . % 10 == 8 then up("cxl_type3_mld"; 8; 32; 32; 4)
  elif . % 20 == 19 then port(.; "disabled"; "none"; "none"; 0; null; 32; 0; "disabled"; false)
  else up("cxl_type1"; 8; 32; 32; 0)
  end;
[range(256) | mkport] as $ports
| ([$ports[16:][] | select(.config_state == "dsp" and .connected_device_type != "none")
    | if .connected_device_type == "cxl_type3_mld" then
        .port_id as $p | range(.supported_ld_count)
        | { vcs: (($p + .) % 16), binding_status: "bound_ld", port_id: $p, ld_id: . }
      else
        { vcs: ((.port_id - 16) % 16), binding_status: "bound_port",
          port_id: .port_id, ld_id: null }
      end]) as $binds
| {
    identify: { vendor_id: "0x1b36", device_id: "0x7075",
                subsys_vendor_id: "0x1b36", subsys_id: "0x0256",
                serial: "0x00000000cafe0256", component_type: "switch" },
    max_msg_size: 4096,
    ingress_port_id: 0,
    hdm_decoders_per_usp: 8,
    ports: $ports,
    vcss: [range(16) as $v
      | [$binds[] | select(.vcs == $v) | del(.vcs)] as $mine
      | if ($mine | length) > 64 then error("VCS \($v): too many bindings") else . end
      | { vcs_id: $v, state: "enabled", usp_id: $v,
          vppbs: [range(64) as $i
            | { vppb_id: $i } + ($mine[$i] // { binding_status: "unbound",
                                                port_id: null, ld_id: null })] }]
  }' | sed -e 's/"@\([0-9.]*\)@"/\1/g'
