// The sample storyboard that ships inside the application ("The Lighthouse Keeper"), so a
// first-time user has something to animate. It is copied out of the resources into the
// user's data folder once; later launches reuse that copy and never overwrite it.
//
//   QString error;
//   const QString folder = installSampleProject(&error);  // empty on failure
//
// Thread-safety: call from the UI thread.
#pragma once

#include <QString>

namespace storyreel::ui {

// Returns the sample's project folder, copying it first when needed; on failure returns an
// empty string and sets *error.
QString installSampleProject(QString* error, const QString& dataFolder = QString());

}  // namespace storyreel::ui
