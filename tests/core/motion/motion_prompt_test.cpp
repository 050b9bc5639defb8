#include "core/motion/motion_prompt.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace storyreel::motion;

namespace {

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items) {
        out += (out.empty() ? "" : " | ") + item;
    }
    return out;
}

}  // namespace

// Each prompt, what the parser should understand (as the UI's chips) and ignore.
TEST_CASE("Motion prompts in English and French become camera moves", "[motion][prompt]") {
    struct Case {
        const char* prompt;
        const char* understood;
        const char* ignored;
    };
    const Case cases[] = {
        {"", "hold", ""},
        {"   ", "hold", ""},
        {"static", "hold", ""},
        {"locked off shot", "hold", ""},
        {"push in", "zoom in", ""},
        {"slow push in", "slow | zoom in", ""},
        {"Slow push in while the wind moves her hair", "slow | zoom in", "wind | moves | hair"},
        {"zoom in 30%", "zoom in 30%", ""},
        {"zoom out", "zoom out", ""},
        {"pull back slowly", "slow | zoom out", ""},
        {"pull out 20 percent", "zoom out 20%", ""},
        {"pan left", "pan left", ""},
        {"pan to the right", "pan right", ""},
        {"pan left 10 degrees", "pan left 10°", ""},
        {"pan left 12.5°", "pan left 12.5°", ""},
        {"fast pan right", "fast | pan right", ""},
        {"very slow pan left", "very slow | pan left", ""},
        {"tilt up", "tilt up", ""},
        {"tilt the camera down", "tilt down", ""},
        {"truck left", "truck left", ""},
        {"tracking shot to the right", "truck right", ""},
        {"pedestal up", "pedestal up", ""},
        {"crane down", "pedestal down", ""},
        {"dolly in", "dolly in", ""},
        {"dolly out", "dolly out", ""},
        {"orbit right", "orbit right", ""},
        {"arc left around her", "orbit left", "around"},
        {"dutch roll clockwise 5 degrees", "roll clockwise 5°", ""},
        {"handheld", "handheld", ""},
        {"shaky handheld camera", "handheld | handheld", ""},
        {"ease in push in", "ease in | zoom in", ""},
        {"linear zoom out", "linear | zoom out", ""},
        {"slow push in while panning left, then hold", "slow | zoom in | pan left | then | hold",
         ""},
        {"push in and hold", "zoom in | then | hold", ""},
        {"pan right then tilt up", "pan right | then | tilt up", ""},
        {"zoom avant", "zoom in", ""},
        {"zoom arrière lent", "slow | zoom out", ""},
        {"travelling avant", "dolly in", ""},
        {"travelling arrière", "dolly out", ""},
        {"travelling latéral gauche", "truck left", ""},
        {"panoramique vers la gauche", "pan left", ""},
        {"panoramique droite 15 degrés", "pan right 15°", ""},
        {"plongée", "tilt down", ""},
        {"contre-plongée lente", "slow | tilt up", ""},
        {"caméra à l'épaule", "handheld", ""},
        {"tremblement léger", "slow | handheld", ""},
        {"plan fixe", "hold", ""},
        {"zoom avant rapide puis panoramique gauche", "fast | zoom in | then | pan left", ""},
        {"très lent travelling avant", "very slow | dolly in", ""},
        {"zoom avant de 20 pour cent", "zoom in 20%", ""},
        {"banana", "hold", "banana"},
        {"the quick brown fox", "hold", "brown | fox"},
        {"42", "hold", "42"},
        {"!!! ??? ...", "hold", ""},
    };
    for (const Case& c : cases) {
        INFO("prompt: \"" << c.prompt << "\"");
        const MotionPlan plan = parseMotionPrompt(c.prompt);
        CHECK(join(plan.understood) == c.understood);
        CHECK(join(plan.ignored) == c.ignored);
        CHECK_FALSE(plan.segments.empty());
    }
    CHECK(sizeof cases / sizeof cases[0] >= 40);
}

TEST_CASE("A prompt's plan has the moves, speeds and amounts it says", "[motion][prompt]") {
    const MotionPlan plan = parseMotionPrompt("slow push in 30% while panning left, then hold");
    REQUIRE(plan.segments.size() == 2);
    const MotionSegment& first = plan.segments[0];
    CHECK(first.speed == 0.5);
    REQUIRE(first.moves.size() == 2);
    CHECK(first.moves[0].kind == MoveKind::Zoom);
    CHECK(first.moves[0].direction == 1);
    CHECK(first.moves[0].amount == Approx(0.3));
    CHECK(first.moves[1].kind == MoveKind::Pan);
    CHECK(first.moves[1].direction == -1);
    CHECK(first.moves[1].amount < 0);  // the default
    CHECK(plan.segments[1].moves.empty());
    CHECK_FALSE(plan.isStatic());
    CHECK(parseMotionPrompt("hold").isStatic());
}

TEST_CASE("The same prompt always gives the same plan", "[motion][prompt]") {
    const char* prompt = "fast orbit right then handheld tilt up 5 degrees";
    const MotionPlan a = parseMotionPrompt(prompt);
    const MotionPlan b = parseMotionPrompt(prompt);
    CHECK(a.understood == b.understood);
    REQUIRE(a.segments.size() == b.segments.size());
    for (std::size_t i = 0; i < a.segments.size(); ++i) {
        REQUIRE(a.segments[i].moves.size() == b.segments[i].moves.size());
        for (std::size_t k = 0; k < a.segments[i].moves.size(); ++k) {
            CHECK(a.segments[i].moves[k].kind == b.segments[i].moves[k].kind);
            CHECK(a.segments[i].moves[k].amount == b.segments[i].moves[k].amount);
        }
    }
}
