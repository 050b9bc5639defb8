#include "core/render/timeline_files.h"

#include "core/base/user_error.h"

#include <QString>
#include <QXmlStreamReader>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using namespace storyreel;

namespace {

// Three stills at 24 fps: 1 s, 1 s entered by a 0.5 s crossfade, then 0.5 s after a cut.
// Plan: shot 1 frames 0-23, shot 2 frames 12-35 (frames 12-23 shared), shot 3 frames 36-47.
project::Project threeShots(const std::string& name) {
    const fs::path folder =
        fs::path(STORYREEL_TEST_BINARY_DIR) / "timelines" / (name + ".storyreel");
    fs::remove_all(folder);
    fs::create_directories(folder / "media");
    project::Project film;
    film.folder = folder;
    film.title = "Three & more";
    film.fps = 24;
    film.width = 160;
    film.height = 90;
    const double seconds[] = {1.0, 1.0, 0.5};
    for (int i = 0; i < 3; ++i) {
        const std::string file = "shot " + std::to_string(i + 1) + ".png";
        REQUIRE(cv::imwrite((folder / "media" / file).string(),
                            cv::Mat(90, 160, CV_8UC3, cv::Scalar(40 * i, 90, 200))));
        project::Shot shot;
        shot.image = fs::path("media") / file;
        shot.seconds = seconds[i];
        film.shots.push_back(shot);
    }
    film.shots[1].transition = {project::TransitionKind::Crossfade, 0.5};
    return film;
}

std::string readText(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string run(const std::string& command) {
    std::string output;
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    char buffer[4096];
    std::size_t n = 0;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) {
        output.append(buffer, n);
    }
    CHECK(pclose(pipe) == 0);
    return output;
}

}  // namespace

TEST_CASE("The plan lays shots and crossfades out in frames", "[render][timeline]") {
    const render::TimelinePlan plan = render::planTimeline(threeShots("plan"), true);
    REQUIRE(plan.clips.size() == 3);
    CHECK(plan.clips[1].recordIn == 12);
    CHECK(plan.clips[1].fadeIn == 12);
    CHECK(plan.clips[2].recordIn == 36);
    CHECK(plan.totalFrames() == 48);
    CHECK_THROWS_WITH(render::planTimeline(threeShots("plan_missing"), false),
                      Contains("shots without a take: 1, 2, 3"));
}

TEST_CASE("The OTIO file reads back clip by clip", "[render][timeline]") {
    const project::Project film = threeShots("otio");
    const fs::path file = film.folder / "film.otio";
    render::writeTimelineFile(film, file, render::TimelineFormat::Otio, true);
    const auto otio = nlohmann::json::parse(readText(file));
    CHECK(otio["OTIO_SCHEMA"] == "Timeline.1");
    CHECK(otio["tracks"]["OTIO_SCHEMA"] == "Stack.1");
    const auto& track = otio["tracks"]["children"][0];
    CHECK(track["kind"] == "Video");
    const auto& items = track["children"];
    REQUIRE(items.size() == 4);
    const char* schemas[] = {"Clip.2", "Transition.1", "Clip.2", "Clip.2"};
    const int starts[] = {0, -1, 6, 0};
    const int durations[] = {18, -1, 18, 12};
    double total = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
        INFO("item " << i);
        CHECK(items[i]["OTIO_SCHEMA"] == schemas[i]);
        if (durations[i] < 0) {
            CHECK(items[i]["transition_type"] == "SMPTE_Dissolve");
            CHECK(items[i]["in_offset"]["value"] == 6);
            CHECK(items[i]["out_offset"]["value"] == 6);
            continue;
        }
        CHECK(items[i]["source_range"]["start_time"]["value"] == starts[i]);
        CHECK(items[i]["source_range"]["duration"]["value"] == durations[i]);
        CHECK(items[i]["source_range"]["duration"]["rate"] == 24);
        total += items[i]["source_range"]["duration"]["value"].get<double>();
    }
    CHECK(total == 48);
    const auto& reference = items[0]["media_references"]["DEFAULT_MEDIA"];
    CHECK(reference["OTIO_SCHEMA"] == "ExternalReference.1");
    CHECK(reference["target_url"] ==
          "file://" + fs::absolute(film.folder).generic_string() + "/media/shot%201.png");
}

TEST_CASE("The EDL reads back event by event, with the dissolve", "[render][timeline]") {
    const project::Project film = threeShots("edl");
    const fs::path file = film.folder / "film.edl";
    render::writeTimelineFile(film, file, render::TimelineFormat::Edl, true);
    const std::string edl = readText(file);
    CHECK_THAT(edl, Contains("TITLE: Three & more"));
    const std::regex event(R"((\d{3})  AX\s+V\s+(C|D    (\d{3}))\s+(\S+) (\S+) (\S+) (\S+))");
    std::vector<std::vector<std::string>> events;
    for (auto it = std::sregex_iterator(edl.begin(), edl.end(), event);
         it != std::sregex_iterator(); ++it) {
        events.push_back({(*it)[1], (*it)[2], (*it)[3], (*it)[6], (*it)[7]});
    }
    REQUIRE(events.size() == 4);
    CHECK(events[0] == std::vector<std::string>{"001", "C", "", "01:00:00:00", "01:00:00:12"});
    CHECK(events[1] == std::vector<std::string>{"002", "C", "", "01:00:00:12", "01:00:00:12"});
    CHECK(events[2] ==
          std::vector<std::string>{"002", "D    012", "012", "01:00:00:12", "01:00:01:12"});
    CHECK(events[3] == std::vector<std::string>{"003", "C", "", "01:00:01:12", "01:00:02:00"});
    CHECK_THAT(edl, Contains("* TO CLIP NAME: shot 2.png"));
}

TEST_CASE("The FCPXML spine reads back clip by clip", "[render][timeline]") {
    const project::Project film = threeShots("fcpxml");
    const fs::path file = film.folder / "film.fcpxml";
    render::writeTimelineFile(film, file, render::TimelineFormat::Fcpxml, true);
    QXmlStreamReader xml(QString::fromStdString(readText(file)));
    QStringList spine;
    bool inSpine = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == QLatin1String("spine")) {
            inSpine = true;
        } else if (xml.isStartElement() && inSpine) {
            const auto a = xml.attributes();
            spine << QStringLiteral("%1 %2 %3 %4")
                         .arg(xml.name().toString(), a.value(QLatin1String("offset")).toString(),
                              a.value(QLatin1String("start")).toString(),
                              a.value(QLatin1String("duration")).toString());
        }
    }
    REQUIRE_FALSE(xml.hasError());
    CHECK(spine == QStringList{QStringLiteral("video 0/24s 0/24s 18/24s"),
                               QStringLiteral("transition 12/24s  12/24s"),
                               QStringLiteral("video 18/24s 6/24s 18/24s"),
                               QStringLiteral("video 36/24s 0/24s 12/24s")});
}

TEST_CASE("melt renders the MLT file to the timeline's length", "[render][timeline]") {
    const project::Project film = threeShots("mlt");
    const fs::path file = film.folder / "film.mlt";
    render::writeTimelineFile(film, file, render::TimelineFormat::Mlt, true);
    const fs::path video = film.folder / "melt.mp4";
    run("melt -quiet '" + file.string() + "' -consumer avformat:'" + video.string() +
        "' vcodec=libx264 an=1 2>&1");
    const std::string frames =
        run("ffprobe -v error -count_frames -select_streams v "
            "-show_entries stream=nb_read_frames -of csv=p=0 '" +
            video.string() + "'");
    CHECK(std::stoi(frames) == 48);
}
