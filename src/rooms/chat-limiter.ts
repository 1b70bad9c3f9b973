/** At most `limit` messages per sender in any `windowMs`: a sliding window of send times. */
export class ChatLimiter {
  private readonly sent = new Map<string, number[]>();

  constructor(
    readonly limit = 5,
    readonly windowMs = 10_000,
  ) {}

  allow(sender: string, now: number): boolean {
    const recent = (this.sent.get(sender) ?? []).filter((at) => now - at < this.windowMs);
    if (recent.length >= this.limit) {
      this.sent.set(sender, recent);
      return false;
    }
    recent.push(now);
    this.sent.set(sender, recent);
    return true;
  }

  forget(sender: string): void {
    this.sent.delete(sender);
  }
}
