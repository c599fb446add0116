# Debian packages with CPack: vindplaats-central and vindplaats-kiosk.
#
#   cmake --workflow --preset package     # build/package/vindplaats-*.deb
#
# The "package" preset is a Release build without fault hooks. Each package
# holds its program, its systemd units (assets/systemd), docs/operations.md,
# copyright and changelog, and maintainer scripts (cmake/debian/) that create
# the system user. Library dependencies are computed by dpkg-shlibdeps; what
# a program runs but does not link (cage, Xwayland) is listed by hand.
# Inspected by tests/ops/deb.sh (dpkg-deb, lintian).

set(VP_DEB_VERSION "${PROJECT_VERSION}-1")
set(VP_DEB_CONTACT "vindplaats maintainers <maintainers@vindplaats.example>")
set(VP_DEB_DIR "${PROJECT_SOURCE_DIR}/cmake/debian")
set(VP_UNIT_DIR "/lib/systemd/system") # Debian 12 keeps units here

# Per package: copyright and a gzipped changelog (no time stamp in the gzip
# header, so the package is reproducible).
function(vp_deb_docs component package)
  set(doc "${CMAKE_BINARY_DIR}/debian/${package}")
  file(MAKE_DIRECTORY "${doc}")
  set(PKG "${package}")
  set(VERSION "${VP_DEB_VERSION}")
  set(CONTACT "${VP_DEB_CONTACT}")
  configure_file("${VP_DEB_DIR}/changelog.in" "${doc}/changelog.Debian" @ONLY)
  execute_process(COMMAND gzip -9nf "${doc}/changelog.Debian" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip of the Debian changelog failed")
  endif()
  install(FILES "${VP_DEB_DIR}/copyright" "${doc}/changelog.Debian.gz"
          "${PROJECT_SOURCE_DIR}/docs/operations.md"
          DESTINATION share/doc/${package} COMPONENT ${component})
endfunction()

set(components "")
if(TARGET vindplaats-central)
  list(APPEND components central)
  install(TARGETS vindplaats-central RUNTIME DESTINATION bin COMPONENT central)
  install(FILES "${PROJECT_SOURCE_DIR}/assets/systemd/vindplaats-central.service"
                "${PROJECT_SOURCE_DIR}/assets/systemd/vindplaats-central-backup.service"
                "${PROJECT_SOURCE_DIR}/assets/systemd/vindplaats-central-backup.timer"
          DESTINATION ${VP_UNIT_DIR} COMPONENT central)
  install(FILES "${PROJECT_SOURCE_DIR}/assets/systemd/vindplaats-central.default"
          DESTINATION /etc/default RENAME vindplaats-central COMPONENT central)
  install(FILES "${PROJECT_SOURCE_DIR}/assets/nginx/vindplaats-central.conf"
          DESTINATION share/doc/vindplaats-central/examples COMPONENT central)
  vp_deb_docs(central vindplaats-central)
  file(WRITE "${CMAKE_BINARY_DIR}/debian/central/conffiles" "/etc/default/vindplaats-central\n")
endif()
if(TARGET vindplaats-kiosk)
  list(APPEND components kiosk)
  install(TARGETS vindplaats-kiosk RUNTIME DESTINATION bin COMPONENT kiosk)
  install(FILES "${PROJECT_SOURCE_DIR}/assets/systemd/vindplaats-kiosk.service"
          DESTINATION ${VP_UNIT_DIR} COMPONENT kiosk)
  vp_deb_docs(kiosk vindplaats-kiosk)
endif()

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "vindplaats")
set(CPACK_PACKAGE_VENDOR "vindplaats")
set(CPACK_PACKAGE_CONTACT "${VP_DEB_CONTACT}")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)
set(CPACK_COMPONENTS_ALL ${components})
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
set(CPACK_DEBIAN_PACKAGE_SECTION "misc")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_COMPRESSION_TYPE "xz")

set(CPACK_DEBIAN_CENTRAL_PACKAGE_NAME "vindplaats-central")
set(CPACK_DEBIAN_CENTRAL_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_CENTRAL_PACKAGE_DEPENDS "adduser")
set(CPACK_COMPONENT_CENTRAL_DESCRIPTION
    "central service for vindplaats signals from childcare locations
vindplaats-central receives the signals that pedagogical staff record on
the vindplaats tablets at childcare locations, keeps them for the external
pedagogical coach, serves the coach's web console and sends advice back.

The package installs a hardened systemd service on 127.0.0.1:8420 (put
nginx or the built-in TLS in front of it), a daily backup timer with
rotation, and the system user vindplaats.")
set(CPACK_DEBIAN_CENTRAL_PACKAGE_CONTROL_EXTRA
    "${VP_DEB_DIR}/central/postinst;${VP_DEB_DIR}/central/prerm;${VP_DEB_DIR}/central/postrm;${CMAKE_BINARY_DIR}/debian/central/conffiles")
set(CPACK_DEBIAN_CENTRAL_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_KIOSK_PACKAGE_NAME "vindplaats-kiosk")
set(CPACK_DEBIAN_KIOSK_PACKAGE_SECTION "x11")
set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS "adduser, cage, xwayland, fonts-dejavu-core")
set(CPACK_COMPONENT_KIOSK_DESCRIPTION
    "offline-first tablet app for signals at childcare locations
vindplaats-kiosk is the touch app that pedagogical staff use on a shared
tablet to record signals about young children who may need something
extra. It works without a network and sends what it holds to the central
service when there is one.

The package installs a systemd unit that runs the kiosk full screen under
the cage Wayland kiosk compositor as the unprivileged user
vindplaats-kiosk (not enabled until you enable it).")
set(CPACK_DEBIAN_KIOSK_PACKAGE_CONTROL_EXTRA
    "${VP_DEB_DIR}/kiosk/postinst;${VP_DEB_DIR}/kiosk/prerm;${VP_DEB_DIR}/kiosk/postrm")
set(CPACK_DEBIAN_KIOSK_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
