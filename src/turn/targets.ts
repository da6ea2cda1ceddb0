/**
 * coturn beyond Podman: a Kubernetes Deployment on host networking (TURN relays need their
 * relay ports on a public address; hostNetwork avoids enumerating them in a Service), and an Akash
 * deployment on a leased IP (each relay port exposed, so the range stays small).
 * @see https://github.com/coturn/coturn/tree/master/docker/coturn
 */
import type { Sdl, SdlExpose } from "../akash/sdl.js";
import { NO_PRIVILEGES_READ_ONLY } from "../kubernetes/security.js";

export interface TurnTargetInput {
  readonly id: string;
  readonly image: string;
  readonly config: string;
  readonly turn: number;
  readonly tls: number;
  readonly relay: { readonly min: number; readonly max: number };
}

export function turnKubernetes(i: TurnTargetInput): { objects: Record<string, unknown>[]; secret: Record<string, unknown> } {
  const labels = { "app.kubernetes.io/name": `tlos-${i.id}`, "app.kubernetes.io/managed-by": "tlos" };
  return {
    secret: { apiVersion: "v1", kind: "Secret", type: "Opaque", metadata: { name: `tlos-${i.id}-config`, namespace: "turn" }, stringData: { "turnserver.conf": i.config } },
    objects: [
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "turn", labels: { "app.kubernetes.io/managed-by": "tlos" } } },
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: `tlos-${i.id}`, namespace: "turn", labels },
        spec: {
          replicas: 1,
          strategy: { type: "Recreate" },
          selector: { matchLabels: { "app.kubernetes.io/name": `tlos-${i.id}` } },
          template: {
            metadata: { labels },
            spec: {
              hostNetwork: true,
              dnsPolicy: "ClusterFirstWithHostNet",
              nodeSelector: { "tlos.grid/turn": "true" },
              automountServiceAccountToken: false,
              securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
              containers: [
                {
                  name: "coturn",
                  image: i.image,
                  args: ["-c", "/etc/coturn/turnserver.conf"],
                  ports: [
                    { name: "turn-udp", containerPort: i.turn, protocol: "UDP" },
                    { name: "turn-tcp", containerPort: i.turn, protocol: "TCP" },
                    { name: "turns", containerPort: i.tls, protocol: "TCP" },
                  ],
                  securityContext: NO_PRIVILEGES_READ_ONLY,
                  volumeMounts: [
                    { name: "config", mountPath: "/etc/coturn/turnserver.conf", subPath: "turnserver.conf", readOnly: true },
                    { name: "tls", mountPath: "/etc/coturn/tls", readOnly: true },
                    { name: "tmp", mountPath: "/tmp" },
                  ],
                },
              ],
              volumes: [
                { name: "config", secret: { secretName: `tlos-${i.id}-config`, defaultMode: 0o400 } },
                { name: "tls", secret: { secretName: `tlos-${i.id}-tls`, items: [{ key: "tls.crt", path: "cert.pem" }, { key: "tls.key", path: "key.pem" }] } },
                { name: "tmp", emptyDir: {} },
              ],
            },
          },
        },
      },
    ],
  };
}

export function turnAkashSdl(i: TurnTargetInput & { pricing: { denom: string; amount: number } }): Sdl {
  const svc = `${i.id}`;
  const expose: SdlExpose[] = [
    { port: i.turn, as: i.turn, proto: "UDP" as const },
    { port: i.turn, as: i.turn, proto: "TCP" as const },
    { port: i.tls, as: i.tls, proto: "TCP" as const },
    ...Array.from({ length: i.relay.max - i.relay.min + 1 }, (_, n) => ({ port: i.relay.min + n, as: i.relay.min + n, proto: "UDP" as const })),
  ].map((e) => ({ ...e, to: [{ global: true, ip: "turnip" }] }));
  return {
    version: "2.0",
    services: {
      [svc]: {
        image: i.image,
        command: ["sh", "-c", 'mkdir -p /tmp/tls && echo "$TURN_TLS_CERT_B64" | base64 -d > /tmp/tls/cert.pem && echo "$TURN_TLS_KEY_B64" | base64 -d > /tmp/tls/key.pem && echo "$TURNSERVER_CONF_B64" | base64 -d > /tmp/turnserver.conf && exec turnserver -c /tmp/turnserver.conf'],
        env: [
          `TURNSERVER_CONF_B64=${Buffer.from(i.config.replaceAll("/etc/coturn/tls/", "/tmp/tls/")).toString("base64")}`,
          "TURN_TLS_CERT_B64=<secret:tls-cert>",
          "TURN_TLS_KEY_B64=<secret:tls-key>",
        ],
        expose,
      },
    },
    profiles: {
      compute: { [svc]: { resources: { cpu: { units: 1 }, memory: { size: "512Mi" }, storage: { size: "1Gi" } } } },
      placement: { [svc]: { pricing: { [svc]: { denom: i.pricing.denom, amount: i.pricing.amount } } } },
    },
    deployment: { [svc]: { [svc]: { profile: svc, count: 1 } } },
    endpoints: { turnip: { kind: "ip" } },
  } as Sdl;
}
