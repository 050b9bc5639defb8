// storyreel_resources holds only Qt resources (the sample storyboard and the icon), which
// Qt links as an object library; CMake still wants one source for the static library.
namespace storyreel::resources {

int resourcesAnchor() {
    return 0;
}

}  // namespace storyreel::resources
