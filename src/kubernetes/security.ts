/**
 * Container security contexts every emitted Kubernetes workload uses: no privilege escalation
 * and no Linux capabilities, as the Pod Security Standards' "restricted" profile asks.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */

/** Cannot gain privileges, holds no capabilities. */
export const NO_PRIVILEGES = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } };

/** The same with a read-only root filesystem, for containers that write only to their volumes. */
export const NO_PRIVILEGES_READ_ONLY = { ...NO_PRIVILEGES, readOnlyRootFilesystem: true };
