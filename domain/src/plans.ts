export const planIds = ['basic', 'standard', 'premium'] as const;
export type PlanId = (typeof planIds)[number];

export type Plan = {
  id: PlanId;
  /** The tallest rendition a viewer on this plan may watch. */
  maxHeight: number;
  /** How many playback sessions may run at once on one account. */
  maxStreams: number;
};

export const plans: Record<PlanId, Plan> = {
  basic: { id: 'basic', maxHeight: 720, maxStreams: 1 },
  standard: { id: 'standard', maxHeight: 1080, maxStreams: 2 },
  premium: { id: 'premium', maxHeight: 2160, maxStreams: 4 },
};

export const isPlanId = (value: string): value is PlanId => (planIds as readonly string[]).includes(value);
