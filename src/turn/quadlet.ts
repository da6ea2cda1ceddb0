/**
 * coturn as a rootless Podman unit: the `.container` Quadlet document of a TurnRelay (provider
 * "coturn", target "podman"), written for the newest Podman (the construct fits it to its version).
 * @see https://docs.podman.io/en/latest/markdown/podman-systemd.unit.5.html
 */
import { joinArgs } from "../core/ini.js";
import { HARDENING, RESTART, WANTED_BY_DEFAULT } from "../quadlet/common.js";
import type { QuadletUnit } from "../quadlet/model.js";

export interface CoturnUnitInput {
  readonly id: string;
  readonly realm: string;
  readonly image: string;
  readonly turn: number;
  readonly tls: number;
  readonly relay: { readonly min: number; readonly max: number };
}

export function coturnUnit(i: CoturnUnitInput): QuadletUnit {
  const { id, turn, tls, relay: r } = i;
  return {
    type: "container",
    name: id,
    header: [`coturn TURN relay ${id} (${i.realm}): 3478/5349 and relay ports ${r.min}-${r.max}/udp.`],
    unit: [["Description", `tLOS TURN relay ${id}`]],
    body: [
      ["ContainerName", `tlos-${id}`],
      ["Image", i.image],
      ["Exec", joinArgs(["-c", "/etc/coturn/turnserver.conf"])],
      ["Network", "pasta"],
      ["UserNS", "auto"],
      ...[`${turn}:${turn}/udp`, `${turn}:${turn}/tcp`, `${tls}:${tls}/tcp`, `${tls}:${tls}/udp`, `${r.min}-${r.max}:${r.min}-${r.max}/udp`].map((x) => ["PublishPort", x] as [string, string]),
      ["Secret", `tlos-${id}-config,type=mount,target=/etc/coturn/turnserver.conf,mode=0400`],
      ["Secret", `tlos-${id}-tls-cert,type=mount,target=/etc/coturn/tls/cert.pem,mode=0444`],
      ["Secret", `tlos-${id}-tls-key,type=mount,target=/etc/coturn/tls/key.pem,mode=0400`],
      ["ReadOnly", "true"],
      ...HARDENING,
    ],
    service: RESTART,
    install: WANTED_BY_DEFAULT,
  };
}
