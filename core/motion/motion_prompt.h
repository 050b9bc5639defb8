// Reads a motion prompt, in English or French, into camera moves: "slow push in while
// panning left, then hold" -> [{push in, pan left} slow] then [hold]. It reports what it
// understood (for the UI's chips) and the words it ignored (for a warning). The same prompt
// always gives the same plan.
//
//   MotionPlan plan = parseMotionPrompt("zoom avant lent puis panoramique gauche 10 degrés");
//   for (const std::string& chip : plan.understood) ...
//
// Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace storyreel::motion {

enum class MoveKind { Zoom, Pan, Tilt, Truck, Pedestal, Dolly, Orbit, Roll, Shake };

// Directions are +1 or -1: zoom/dolly +1 in; pan/truck/orbit/roll +1 right (clockwise for
// roll); tilt/pedestal +1 up.
struct Move {
    MoveKind kind = MoveKind::Zoom;
    int direction = 1;
    // Zoom and dolly: fraction of scale change (0.3 = 30%). Pan, tilt, orbit, roll: degrees.
    // Truck, pedestal: fraction of the frame. Shake: strength 0-1. Negative: the default.
    double amount = -1.0;
};

enum class Easing { Linear, EaseIn, EaseOut, EaseInOut };

// Moves that happen together; segments follow one another ("then").
struct MotionSegment {
    std::vector<Move> moves;  // empty: a hold
    double speed = 1.0;       // 0.5 slow, 2 fast; scales default amounts
    Easing easing = Easing::EaseInOut;
};

struct MotionPlan {
    std::vector<MotionSegment> segments;  // at least one
    std::vector<std::string> understood;  // "push in", "pan left 10°", "slow", "then"
    std::vector<std::string> ignored;     // words that meant nothing to the parser

    bool isStatic() const;
};

MotionPlan parseMotionPrompt(std::string_view prompt);

std::string_view moveKindName(MoveKind kind);

}  // namespace storyreel::motion
