/**
 * The patch rate of a room that sends every change itself, right after making it: the longest
 * interval a Node.js timer takes (about 24.8 days), so the timer never fires in practice. Colyseus
 * has no setting for "no patch timer" (a rate of 0 or null ticks the room's clock every 16 ms
 * instead), and a timer firing every second in each of thousands of rooms only found nothing to send.
 */
export const SENDS_ITS_OWN_PATCHES_MS = 2 ** 31 - 1;
