/**
 * What every emitted compose service runs with: no Linux capabilities and no privilege gain.
 * @see https://github.com/compose-spec/compose-spec/blob/main/05-services.md#cap_drop
 */
export const COMPOSE_HARDENING = { cap_drop: ["ALL"], security_opt: ["no-new-privileges:true"] };
