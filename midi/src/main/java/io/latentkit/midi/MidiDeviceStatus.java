package io.latentkit.midi;

/**
 * One MIDI input device as {@code /status} reports it.
 *
 * <p>Immutable; any thread.
 *
 * @param name device name (a second device of the same name gets {@code " #2"} appended)
 * @param state {@code connected}, {@code unplugged} (seen before, gone now; reconnected by name
 *     when it returns), {@code failed} (present but could not be opened; retried every rescan) or
 *     {@code ignored} (present, excluded by {@code --midi-in})
 * @param channel the channel it listens on, 1..16, or 0 for omni
 * @param notes notes received from it since start
 * @param connects times it was (re)connected
 * @param releases times its held notes were released because it disappeared
 */
public record MidiDeviceStatus(String name, String state, int channel, long notes, long connects, long releases) {
}
