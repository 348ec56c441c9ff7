/**
 * LIMITS: the ranges every numeric setting is validated against. Not defaults (those are in
 * DEFAULTS); these bound what may be asked for, and each bound says why it is there.
 */
export const LIMITS = Object.freeze({
  /** Probing more often than 10 times a second buys nothing but apiserver load; an hour is plenty. */
  intervalMs: Object.freeze({ min: 100, max: 3_600_000 }),
  /** Fast probing obeys the interval bounds and never exceeds the service's own interval. */
  fastIntervalMs: Object.freeze({ min: 100, max: 3_600_000 }),
  /** A LAN round trip fits in 10 ms; a probe hung for 5 minutes is dead. */
  timeoutMs: Object.freeze({ min: 10, max: 300_000 }),
  /** Consecutive probe counts; beyond 100 a state change would take far too long. */
  rise: Object.freeze({ min: 1, max: 100 }),
  fall: Object.freeze({ min: 1, max: 100 }),
  /** ipvsadm's weight range; 0 keeps a server configured but sends it no new connections. */
  weight: Object.freeze({ min: 0, max: 65_535 }),
  /** A bit of the 32-bit iptables mark (kube-proxy validates the same range). */
  masqueradeBit: Object.freeze({ min: 0, max: 31 }),
  /** HTTP status codes. */
  status: Object.freeze({ min: 100, max: 599 }),
  /** IFNAMSIZ is 16 including the terminating NUL. */
  ifaceNameBytes: 15,
});
