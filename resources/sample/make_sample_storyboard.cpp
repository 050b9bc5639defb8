// make_sample_storyboard: draws the frames of Storyreel's sample storyboard, "The Lighthouse
// Keeper", as an artist's pencil-and-wash storyboard panels. Run at build time so no image is
// kept in git; deterministic (fixed seeds), so every build embeds the same pictures.
//
//   make_sample_storyboard OUTPUT_DIR   -> OUTPUT_DIR/shot_01_cliff_wide.png ... shot_06_...
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace {

using Points = std::vector<cv::Point>;

constexpr int kWidth = 1280;
constexpr int kHeight = 720;
const cv::Scalar kPaper(222, 232, 238);  // BGR: warm off-white
const cv::Scalar kInk(48, 46, 44);
const cv::Scalar kPencil(105, 102, 98);
const cv::Scalar kAccent(70, 185, 245);  // warm lamp yellow, the one colour

cv::Mat paper(int seed) {
    cv::Mat canvas(kHeight, kWidth, CV_8UC3, kPaper);
    cv::Mat grain(kHeight, kWidth, CV_8UC3);
    cv::RNG rng(seed);
    rng.fill(grain, cv::RNG::NORMAL, 0, 5);
    cv::Mat grainSigned;
    grain.convertTo(grainSigned, CV_16SC3);
    cv::Mat canvasSigned;
    canvas.convertTo(canvasSigned, CV_16SC3);
    canvasSigned += grainSigned - cv::Scalar(0, 0, 0);
    canvasSigned.convertTo(canvas, CV_8UC3);
    return canvas;
}

// A flat tone laid over the drawing with some transparency, softened like a brush wash.
void wash(cv::Mat& canvas, const Points& shape, const cv::Scalar& tone, double opacity,
          int blur = 5) {
    cv::Mat layer = canvas.clone();
    cv::fillPoly(layer, std::vector<Points>{shape}, tone, cv::LINE_AA);
    if (blur > 0) {
        cv::GaussianBlur(layer, layer, cv::Size(0, 0), blur);
    }
    cv::Mat mask = cv::Mat::zeros(canvas.size(), CV_8U);
    cv::fillPoly(mask, std::vector<Points>{shape}, cv::Scalar(255), cv::LINE_AA);
    cv::GaussianBlur(mask, mask, cv::Size(0, 0), blur + 1);
    cv::Mat blended;
    cv::addWeighted(canvas, 1.0 - opacity, layer, opacity, 0.0, blended);
    blended.copyTo(canvas, mask);
}

void ellipseWash(cv::Mat& canvas, cv::Point center, cv::Size axes, const cv::Scalar& tone,
                 double opacity, int blur = 5) {
    Points shape;
    cv::ellipse2Poly(center, axes, 0, 0, 360, 6, shape);
    wash(canvas, shape, tone, opacity, blur);
}

void stroke(cv::Mat& canvas, const Points& line, int thickness = 2, cv::Scalar ink = kInk,
            bool closed = false) {
    cv::polylines(canvas, std::vector<Points>{line}, closed, ink, thickness, cv::LINE_AA);
}

// A hand-drawn wavy line across the frame, for the sea and the horizon.
void waveLine(cv::Mat& canvas, int y, int x0, int x1, double amplitude, double period,
              int thickness, cv::Scalar ink, double phase = 0.0) {
    Points line;
    for (int x = x0; x <= x1; x += 6) {
        line.emplace_back(x, y + static_cast<int>(amplitude * std::sin(x / period + phase)));
    }
    stroke(canvas, line, thickness, ink);
}

void skyGradient(cv::Mat& canvas, int bottom, double topShade, double bottomShade) {
    for (int y = 0; y < bottom; ++y) {
        const double t = static_cast<double>(y) / bottom;
        const double shade = topShade + (bottomShade - topShade) * t;
        canvas.row(y) = canvas.row(y) * shade;
    }
}

void seaStrokes(cv::Mat& canvas, int horizon, int seed, cv::Scalar ink) {
    cv::RNG rng(seed);
    for (int i = 0; i < 26; ++i) {
        const int y =
            horizon + 8 +
            static_cast<int>(std::pow(rng.uniform(0.0, 1.0), 1.6) * (kHeight - horizon - 30));
        const int x = rng.uniform(20, kWidth - 200);
        const int length = 40 + (y - horizon) / 2 + rng.uniform(0, 60);
        waveLine(canvas, y, x, x + length, 2.0, 9.0, 1, ink, rng.uniform(0.0, 6.0));
    }
}

void lighthouse(cv::Mat& canvas, cv::Point base, int height, cv::Scalar ink, bool lit) {
    const int bottomHalf = height / 7;
    const int topHalf = height / 11;
    const Points tower = {{base.x - bottomHalf, base.y},
                          {base.x - topHalf, base.y - height},
                          {base.x + topHalf, base.y - height},
                          {base.x + bottomHalf, base.y}};
    wash(canvas, tower, cv::Scalar(235, 240, 242), 0.8, 1);
    for (int band = 1; band <= 3; band += 2) {
        const double t0 = band / 5.0;
        const double t1 = (band + 1) / 5.0;
        const auto half = [&](double t) { return bottomHalf + (topHalf - bottomHalf) * t; };
        const Points stripe = {{base.x - int(half(t0)), base.y - int(height * t0)},
                               {base.x - int(half(t1)), base.y - int(height * t1)},
                               {base.x + int(half(t1)), base.y - int(height * t1)},
                               {base.x + int(half(t0)), base.y - int(height * t0)}};
        wash(canvas, stripe, cv::Scalar(120, 118, 116), 0.55, 1);
    }
    stroke(canvas, tower, 2, ink, true);
    const cv::Rect lantern(base.x - topHalf + 3, base.y - height - height / 9, 2 * topHalf - 6,
                           height / 9);
    if (lit) {
        ellipseWash(canvas, {lantern.x + lantern.width / 2, lantern.y + lantern.height / 2},
                    {lantern.width * 2, lantern.height * 2}, kAccent, 0.55, 12);
    }
    cv::rectangle(canvas, lantern, ink, 2, cv::LINE_AA);
    const Points roof = {{lantern.x - 6, lantern.y},
                         {lantern.x + lantern.width / 2, lantern.y - height / 12},
                         {lantern.x + lantern.width + 6, lantern.y}};
    wash(canvas, roof, kInk, 0.8, 1);
    stroke(canvas,
           {{base.x - topHalf - 8, base.y - height}, {base.x + topHalf + 8, base.y - height}}, 3,
           ink);
}

void ship(cv::Mat& canvas, cv::Point waterline, int length, cv::Scalar ink, bool lights) {
    const Points hull = {{waterline.x - length / 2, waterline.y - length / 8},
                         {waterline.x + length / 2, waterline.y - length / 8},
                         {waterline.x + length / 3, waterline.y},
                         {waterline.x - length / 3, waterline.y}};
    wash(canvas, hull, ink, 0.85, 1);
    const cv::Rect cabin(waterline.x - length / 6, waterline.y - length / 4, length / 3,
                         length / 8);
    cv::rectangle(canvas, cabin, ink, cv::FILLED, cv::LINE_AA);
    stroke(
        canvas,
        {{waterline.x + length / 12, cabin.y}, {waterline.x + length / 12, cabin.y - length / 4}},
        std::max(1, length / 60), ink);
    if (lights) {
        for (int i = 0; i < 3; ++i) {
            cv::circle(canvas, {cabin.x + 6 + i * cabin.width / 3, cabin.y + cabin.height / 2},
                       std::max(2, length / 50), kAccent, cv::FILLED, cv::LINE_AA);
        }
    }
}

// The storyboard panel's border and its caption, as on a printed board.
void panel(cv::Mat& canvas, const std::string& caption) {
    const int inset = 24;
    cv::rectangle(canvas, {0, 0, kWidth, kHeight}, kPaper, inset * 2);
    cv::rectangle(canvas, {inset, inset, kWidth - 2 * inset, kHeight - 2 * inset}, kInk, 3,
                  cv::LINE_AA);
    const cv::Point at(inset + 14, kHeight - inset - 16);
    int baseline = 0;
    const cv::Size text = cv::getTextSize(caption, cv::FONT_HERSHEY_SIMPLEX, 0.6, 1, &baseline);
    cv::rectangle(canvas, {at.x - 8, at.y - text.height - 8, text.width + 16, text.height + 16},
                  kPaper, cv::FILLED);
    cv::putText(canvas, caption, at, cv::FONT_HERSHEY_SIMPLEX, 0.6, kInk, 1, cv::LINE_AA);
}

void drawCliffWide(cv::Mat& canvas) {
    const int horizon = 430;
    skyGradient(canvas, horizon, 0.80, 0.97);
    ellipseWash(canvas, {300, 380}, {60, 60}, kAccent, 0.45, 10);  // setting sun
    for (const auto& [center, axes] : std::vector<std::pair<cv::Point, cv::Size>>{
             {{260, 170}, {220, 38}}, {{640, 120}, {260, 30}}, {{1020, 200}, {200, 34}}}) {
        ellipseWash(canvas, center, axes, cv::Scalar(150, 150, 152), 0.35, 14);
    }
    wash(canvas, {{0, horizon}, {kWidth, horizon}, {kWidth, kHeight}, {0, kHeight}},
         cv::Scalar(150, 146, 140), 0.45, 2);
    waveLine(canvas, horizon, 24, kWidth - 24, 0.0, 1.0, 2, kPencil);
    seaStrokes(canvas, horizon, 11, kPencil);
    const Points cliff = {{640, kHeight}, {700, 520},  {760, 430},    {820, 360},
                          {1000, 340},    {1180, 350}, {kWidth, 360}, {kWidth, kHeight}};
    wash(canvas, cliff, cv::Scalar(92, 96, 98), 1.0, 3);
    stroke(canvas, cliff, 3);
    for (int i = 0; i < 9; ++i) {  // rock strata
        stroke(canvas, {{720 + i * 55, 470 + (i % 3) * 40}, {770 + i * 55, 500 + (i % 3) * 40}}, 1,
               kPencil);
    }
    lighthouse(canvas, {930, 350}, 230, kInk, false);
    const Points cottage = {{1040, 350}, {1040, 300}, {1090, 270}, {1140, 300}, {1140, 350}};
    wash(canvas, cottage, cv::Scalar(210, 214, 216), 0.8, 1);
    stroke(canvas, cottage, 2, kInk, true);
    cv::rectangle(canvas, {1080, 315, 18, 20}, kAccent, cv::FILLED, cv::LINE_AA);
    panel(canvas, "SC 1 / SH 1   WIDE - LIGHTHOUSE ON THE CLIFF AT DUSK");
}

void drawKeeperCloseup(cv::Mat& canvas) {
    wash(canvas, {{24, 24}, {kWidth, 24}, {kWidth, kHeight}, {24, kHeight}},
         cv::Scalar(170, 172, 172), 0.35, 0);
    cv::rectangle(canvas, {880, 120, 260, 300}, kPencil, 2, cv::LINE_AA);  // window behind
    ellipseWash(canvas, {1010, 270}, {120, 140}, kAccent, 0.25, 20);
    const Points coat = {{260, kHeight}, {330, 590}, {480, 540},
                         {800, 540},     {950, 600}, {1020, kHeight}};
    wash(canvas, coat, cv::Scalar(80, 78, 76), 0.8, 2);
    stroke(canvas, coat, 3);
    ellipseWash(canvas, {640, 350}, {170, 215}, cv::Scalar(200, 208, 214), 0.9, 2);  // face
    cv::ellipse(canvas, {640, 350}, {170, 215}, 0, 0, 360, kInk, 3, cv::LINE_AA);
    const Points beard = {{480, 380}, {520, 520}, {600, 575}, {690, 575}, {770, 515},
                          {805, 380}, {740, 440}, {640, 455}, {545, 440}};
    wash(canvas, beard, cv::Scalar(140, 140, 140), 1.0, 2);
    stroke(canvas, beard, 2, kInk, true);
    const Points cap = {{455, 250}, {480, 150}, {640, 110}, {800, 150}, {825, 250}};
    wash(canvas, cap, cv::Scalar(70, 70, 72), 1.0, 1);
    stroke(canvas, {{430, 255}, {850, 255}}, 8);  // brim
    for (const int x : {570, 710}) {              // eyes, looking off to frame right
        cv::ellipse(canvas, {x, 320}, {36, 16}, 0, 0, 360, kInk, 2, cv::LINE_AA);
        cv::circle(canvas, {x + 18, 320}, 10, kInk, cv::FILLED, cv::LINE_AA);
        stroke(canvas, {{x - 40, 285}, {x, 275}, {x + 40, 282}}, 5);  // brow
    }
    stroke(canvas, {{640, 330}, {625, 395}, {655, 400}}, 3);  // nose
    stroke(canvas, {{600, 470}, {640, 478}, {690, 468}}, 3);  // mouth
    panel(canvas, "SC 1 / SH 2   CLOSE-UP - THE KEEPER HEARS SOMETHING");
}

void drawOverShoulder(cv::Mat& canvas) {
    wash(canvas, {{24, 24}, {kWidth, 24}, {kWidth, kHeight}, {24, kHeight}},
         cv::Scalar(120, 122, 124), 0.55, 0);
    const cv::Point center(820, 330);
    const int radius = 230;
    cv::Mat view = paper(33);
    skyGradient(view, center.y + 30, 0.82, 0.98);
    wash(view, {{0, center.y + 30}, {kWidth, center.y + 30}, {kWidth, kHeight}, {0, kHeight}},
         cv::Scalar(150, 146, 140), 0.45, 2);
    seaStrokes(view, center.y + 30, 7, kPencil);
    ship(view, {930, center.y + 30}, 60, kInk, false);
    cv::Mat hole = cv::Mat::zeros(canvas.size(), CV_8U);
    cv::circle(hole, center, radius, cv::Scalar(255), cv::FILLED, cv::LINE_AA);
    view.copyTo(canvas, hole);
    cv::circle(canvas, center, radius, kInk, 14, cv::LINE_AA);
    cv::circle(canvas, center, radius + 22, kPencil, 2, cv::LINE_AA);
    stroke(canvas, {{center.x - radius, center.y}, {center.x + radius, center.y}}, 4);
    stroke(canvas, {{center.x, center.y - radius}, {center.x, center.y + radius}}, 4);
    const Points shoulder = {{24, kHeight}, {24, 470},  {120, 420},
                             {330, 410},    {450, 470}, {520, kHeight}};
    wash(canvas, shoulder, cv::Scalar(52, 50, 50), 0.92, 2);
    ellipseWash(canvas, {250, 300}, {150, 180}, cv::Scalar(60, 58, 58), 0.92, 2);  // head
    const Points cap = {{110, 230}, {150, 130}, {260, 110}, {370, 150}, {395, 235}};
    wash(canvas, cap, cv::Scalar(35, 35, 36), 0.95, 1);
    stroke(canvas, {{90, 240}, {400, 240}}, 6);
    panel(canvas, "SC 1 / SH 3   OTS - A SHIP ON THE HORIZON");
}

// Rounded fingertips at the end of a hand, each a short filled ellipse along `angle`.
void fingers(cv::Mat& canvas, const Points& tips, double angle) {
    for (const cv::Point& tip : tips) {
        cv::ellipse(canvas, tip, {26, 11}, angle * 180.0 / CV_PI, 0, 360, cv::Scalar(190, 198, 206),
                    cv::FILLED, cv::LINE_AA);
        cv::ellipse(canvas, tip, {26, 11}, angle * 180.0 / CV_PI, 0, 360, kInk, 2, cv::LINE_AA);
    }
}

void drawInsertLantern(cv::Mat& canvas) {
    wash(canvas, {{24, 24}, {kWidth, 24}, {kWidth, 430}, {24, 430}}, cv::Scalar(90, 92, 96), 0.6,
         0);
    wash(canvas, {{24, 430}, {kWidth, 430}, {kWidth, kHeight}, {24, kHeight}},
         cv::Scalar(120, 150, 170), 0.55, 0);  // table top, the one warm wash
    for (int y = 460; y < kHeight; y += 52) {
        waveLine(canvas, y, 24, kWidth - 24, 3.0, 80.0, 1, kPencil, y);
    }
    const cv::Point flame(640, 300);
    ellipseWash(canvas, flame, {260, 220}, kAccent, 0.35, 30);  // the glow
    const Points base = {{540, 520}, {740, 520}, {710, 450}, {570, 450}};
    wash(canvas, base, cv::Scalar(70, 72, 74), 0.9, 1);
    stroke(canvas, base, 3, kInk, true);
    cv::ellipse(canvas, {640, 330}, {80, 120}, 0, 0, 360, kInk, 3, cv::LINE_AA);  // chimney
    cv::rectangle(canvas, {575, 190, 130, 30}, kInk, cv::FILLED, cv::LINE_AA);
    cv::ellipse(canvas, {640, 185}, {60, 70}, 0, 180, 360, kInk, 4, cv::LINE_AA);  // handle
    const Points fire = {{640, 260}, {625, 320}, {640, 345}, {655, 320}};
    wash(canvas, fire, kAccent, 1.0, 2);
    const Points leftHand = {{24, 600},  {200, 520}, {380, 470}, {470, 420},
                             {500, 440}, {430, 500}, {300, 590}, {24, 680}};
    wash(canvas, leftHand, cv::Scalar(190, 198, 206), 0.95, 2);
    stroke(canvas, leftHand, 3);
    fingers(canvas, {{492, 418}, {505, 440}, {488, 462}}, 0.6);
    stroke(canvas, {{480, 432}, {600, 348}}, 4, cv::Scalar(80, 120, 150));  // the match
    ellipseWash(canvas, {605, 343}, {10, 18}, kAccent, 1.0, 2);
    const Points rightHand = {{kWidth, 520}, {1000, 470}, {820, 470},   {760, 500},
                              {800, 530},    {950, 560},  {kWidth, 620}};
    wash(canvas, rightHand, cv::Scalar(190, 198, 206), 0.95, 2);
    stroke(canvas, rightHand, 3);
    fingers(canvas, {{790, 470}, {772, 492}, {785, 515}}, 2.8);
    panel(canvas, "SC 1 / SH 4   INSERT - LIGHTING THE LANTERN");
}

void drawStormLandscape(cv::Mat& canvas) {
    const int horizon = 360;
    skyGradient(canvas, horizon, 0.55, 0.85);
    cv::RNG rng(55);
    for (int i = 0; i < 7; ++i) {
        ellipseWash(canvas, {rng.uniform(80, 1200), rng.uniform(60, 260)},
                    {rng.uniform(140, 300), rng.uniform(30, 70)}, cv::Scalar(80, 80, 84), 0.4, 16);
    }
    for (int i = 0; i < 70; ++i) {  // rain
        const cv::Point start(rng.uniform(30, kWidth), rng.uniform(30, horizon + 200));
        stroke(canvas, {start, start + cv::Point(-14, 40)}, 1, cv::Scalar(140, 140, 140));
    }
    wash(canvas, {{0, horizon}, {kWidth, horizon}, {kWidth, kHeight}, {0, kHeight}},
         cv::Scalar(110, 108, 104), 0.55, 2);
    for (int i = 0; i < 5; ++i) {  // breaking waves: dark body, white crest
        const int y = horizon + 60 + i * 55;
        waveLine(canvas, y, 24, kWidth - 24, 10.0 + i * 3, 40.0 + i * 8, 2 + i / 2, kInk, i);
        waveLine(canvas, y - 6, 24, kWidth - 24, 10.0 + i * 3, 40.0 + i * 8, 2,
                 cv::Scalar(240, 242, 244), i);
    }
    const Points rocks = {{24, kHeight}, {24, 520},  {140, 470}, {260, 500},
                          {330, 430},    {470, 520}, {560, 600}, {620, kHeight}};
    wash(canvas, rocks, cv::Scalar(55, 55, 58), 1.0, 2);
    stroke(canvas, rocks, 3);
    ellipseWash(canvas, {420, 470}, {160, 50}, cv::Scalar(245, 246, 246), 0.8, 10);  // spray
    for (const cv::Point gull :
         {cv::Point(760, 150), cv::Point(860, 110), cv::Point(990, 180), cv::Point(700, 230)}) {
        stroke(canvas,
               {gull + cv::Point(-26, -6), gull + cv::Point(-10, -12), gull,
                gull + cv::Point(12, -14), gull + cv::Point(28, -4)},
               3);
    }
    panel(canvas, "SC 1 / SH 5   LANDSCAPE - STORM ON THE ROCKS");
}

void drawBeamNight(cv::Mat& canvas) {
    const int horizon = 420;
    canvas *= 0.35;  // night: the paper under a dark wash
    cv::RNG rng(66);
    for (int i = 0; i < 90; ++i) {
        cv::circle(canvas, {rng.uniform(30, kWidth - 30), rng.uniform(30, horizon - 40)},
                   rng.uniform(1, 3), cv::Scalar(215, 220, 225), cv::FILLED, cv::LINE_AA);
    }
    wash(canvas, {{0, horizon}, {kWidth, horizon}, {kWidth, kHeight}, {0, kHeight}},
         cv::Scalar(40, 38, 36), 0.6, 2);
    seaStrokes(canvas, horizon, 99, cv::Scalar(120, 120, 118));
    const cv::Point lamp(250, 190);
    const Points beam = {lamp, {kWidth, 260}, {kWidth, 520}};
    wash(canvas, beam, kAccent, 0.35, 18);
    const Points cliff = {{24, kHeight}, {24, 430},  {160, 410},
                          {330, 420},    {420, 500}, {470, kHeight}};
    wash(canvas, cliff, cv::Scalar(25, 25, 27), 1.0, 2);
    lighthouse(canvas, {250, 420}, 215, cv::Scalar(20, 20, 22), true);
    ship(canvas, {960, 470}, 170, cv::Scalar(18, 18, 20), true);
    waveLine(canvas, 472, 850, 1070, 3.0, 12.0, 2, cv::Scalar(200, 200, 200));
    panel(canvas, "SC 1 / SH 6   WIDE NIGHT - THE BEAM FINDS THE SHIP");
}

struct Frame {
    const char* fileName;
    void (*draw)(cv::Mat&);
};

constexpr Frame kFrames[] = {
    {"shot_01_cliff_wide.png", drawCliffWide},
    {"shot_02_keeper_closeup.png", drawKeeperCloseup},
    {"shot_03_over_shoulder.png", drawOverShoulder},
    {"shot_04_insert_lantern.png", drawInsertLantern},
    {"shot_05_storm_landscape.png", drawStormLandscape},
    {"shot_06_beam_night.png", drawBeamNight},
};

}  // namespace

int main(int argc, char* argv[]) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_sample_storyboard OUTPUT_DIR\n");
        return 2;
    }
    const std::filesystem::path folder = argv[1];
    std::error_code error;
    std::filesystem::create_directories(folder, error);
    if (error) {
        std::fprintf(stderr, "make_sample_storyboard: cannot create %s: %s\n",
                     folder.string().c_str(), error.message().c_str());
        return 1;
    }
    int seed = 1;
    for (const Frame& frame : kFrames) {
        cv::Mat canvas = paper(seed++);
        frame.draw(canvas);
        const std::filesystem::path file = folder / frame.fileName;
        if (!cv::imwrite(file.string(), canvas)) {
            std::fprintf(stderr, "make_sample_storyboard: cannot write %s\n",
                         file.string().c_str());
            return 1;
        }
    }
    return 0;
}
