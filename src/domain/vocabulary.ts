/**
 * The domain's closed vocabularies: which roles, statuses and methods exist.
 * The entities turn them into CHECK constraints and column types, the recipes
 * and their DTOs pick from them; neither owns them.
 */
export const USER_ROLES = ['customer', 'admin', 'support'] as const;
export const USER_STATUSES = ['active', 'suspended', 'unverified'] as const;
export const MEMBERSHIP_ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export const ORDER_STATUSES = ['pending', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded'] as const;
export const PAYMENT_STATUSES = ['authorized', 'captured', 'refunded', 'failed', 'voided'] as const;
export const PAYMENT_METHODS = ['card', 'bank_transfer', 'wallet'] as const;
export const SHIPMENT_STATUSES = ['label_created', 'in_transit', 'delivered'] as const;

export type UserRole = (typeof USER_ROLES)[number];
export type UserStatus = (typeof USER_STATUSES)[number];
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];
