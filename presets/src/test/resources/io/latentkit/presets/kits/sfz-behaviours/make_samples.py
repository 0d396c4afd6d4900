#!/usr/bin/python3
"""Writes the samples of the SFZ behaviour kits: short decaying sines, 16-bit PCM, whose
frequency identifies the file (so a mix-up shows in a render). Run from this folder; the output
is committed, so this only documents how the files were made."""
import math
import struct
import wave

# path: (frequency Hz, rate Hz, channels)
SAMPLES = {
    "library-layout/Samples/kick.wav": (60, 48000, 1),
    "library-layout/Samples/snare.wav": (220, 48000, 1),
    "library-layout/Samples/hat.wav": (3000, 48000, 1),
    "escape-target.wav": (500, 48000, 1),
    "layers/snare_close.wav": (240, 48000, 1),
    "layers/snare_room.wav": (190, 44100, 2),
    "round-robin/tom_a.wav": (110, 48000, 1),
    "round-robin/tom_b.wav": (130, 48000, 1),
    "round-robin/tom_c.wav": (150, 48000, 1),
    "velocity/kick_soft.wav": (70, 48000, 1),
    "velocity/kick_hard.wav": (80, 48000, 1),
    "velocity/kick_sub.wav": (40, 48000, 1),
    "control-reset/Kicks/kick.wav": (65, 48000, 1),
    "control-reset/Kicks/snare.wav": (999, 48000, 1),
    "control-reset/snare.wav": (250, 48000, 1),
    "defines/kickdef.wav": (75, 48000, 1),
    "defines/snare.wav": (260, 48000, 1),
    "defines/cymbals/hat.wav": (3500, 48000, 1),
    "dollar-include/kick.wav": (85, 48000, 1),
    "include-loop/kick.wav": (90, 48000, 1),
    "case-insensitive/samples/kick.wav": (95, 48000, 1),
    "case-insensitive/samples/snare.wav": (270, 48000, 1),
    "case-insensitive/samples/hihat.wav": (4000, 48000, 1),
    "whole-keyboard/clap.wav": (900, 48000, 1),
    "offsets/a.wav": (100, 48000, 1),
    "offsets/b.wav": (280, 48000, 1),
    "offsets/c.wav": (4500, 48000, 1),
    "hats/hat_closed.wav": (5000, 48000, 1),
    "hats/hat_pedal.wav": (5500, 48000, 1),
    "hats/hat_open.wav": (6000, 48000, 1),
    "random/clap1.wav": (1000, 48000, 1),
    "random/clap2.wav": (1100, 48000, 1),
    "random/clap3.wav": (1200, 48000, 1),
    "embedded/kick.wav": (105, 48000, 1),
    "embedded/hat.wav": (6500, 48000, 1),
    "one-word-names/closedhat.wav": (7000, 48000, 1),
    "one-word-names/openhat.wav": (7500, 48000, 1),
    "one-word-names/kickdrum.wav": (115, 48000, 1),
}

SECONDS = 0.025


def write(path, hz, rate, channels):
    frames = int(SECONDS * rate)
    with wave.open(path, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        data = bytearray()
        for i in range(frames):
            env = 1.0 - i / frames
            for c in range(channels):
                # The right channel of a stereo file is a fifth up, so channels are told apart.
                f = hz * (1.5 if c == 1 else 1.0)
                v = 0.5 * env * math.sin(2 * math.pi * f * i / rate)
                data += struct.pack("<h", int(round(v * 32767)))
        w.writeframes(bytes(data))


if __name__ == "__main__":
    import os
    for p, (hz, rate, ch) in SAMPLES.items():
        os.makedirs(os.path.dirname(p), exist_ok=True)
        write(p, hz, rate, ch)
