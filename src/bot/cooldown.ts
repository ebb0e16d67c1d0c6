/** Per-user sliding-window rate limit: at most `limit` uses in any `windowMs`. */
export class Cooldown {
  private readonly uses = new Map<string, number[]>();

  constructor(
    private readonly limit = 5,
    private readonly windowMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a use and returns 0 when allowed; otherwise ms until the user may try again (nothing recorded). */
  take(userId: string): number {
    const t = this.now();
    const recent = (this.uses.get(userId) ?? []).filter((at) => at > t - this.windowMs);
    if (recent.length >= this.limit) {
      this.uses.set(userId, recent);
      return recent[0]! + this.windowMs - t;
    }
    recent.push(t);
    this.uses.set(userId, recent);
    if (this.uses.size > 10_000) this.prune(t);
    return 0;
  }

  private prune(t: number): void {
    for (const [user, times] of this.uses) if (times.every((at) => at <= t - this.windowMs)) this.uses.delete(user);
  }
}
