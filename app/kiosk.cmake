# The kiosk: app/ui (the touch UI layer), app/screens (the kiosk's screens)
# and app/kiosk (main, CLI, script mode, sync glue). Included by
# app/CMakeLists.txt when VP_BUILD_KIOSK is on.
add_library(vp_ui STATIC
  ui/ui_core.c ui/ui_check.c ui/ui_font.c ui/ui_render.c ui/ui_keys.c ui/ui_png.c)
target_include_directories(vp_ui PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/ui)
target_link_libraries(vp_ui PUBLIC vp_core PkgConfig::SDL2 PkgConfig::SDL2_TTF
                      PkgConfig::FONTCONFIG PkgConfig::ZLIB m)

if(TARGET vp_devstore)
  add_library(vp_screens STATIC
    screens/app.c screens/app_common.c screens/app_status.c screens/app_edit.c screens/scr_first.c
    screens/scr_lock.c screens/scr_children.c screens/scr_child.c screens/scr_signal.c
    screens/scr_signal_extras.c screens/scr_signal_note.c screens/scr_sync.c screens/scr_admin.c
    screens/scr_admin_forms.c)
  target_include_directories(vp_screens PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/screens)
  target_link_libraries(vp_screens PUBLIC vp_ui vp_devstore vp_wire)

  add_library(vp_kiosk STATIC
    kiosk/kiosk_loop.c kiosk/kiosk_script.c kiosk/kiosk_script_lang.c kiosk/kiosk_cli.c kiosk/kiosk_sync.c)
  target_include_directories(vp_kiosk PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/kiosk)
  target_link_libraries(vp_kiosk PUBLIC vp_screens)
  if(TARGET vp_syncclient)
    target_link_libraries(vp_kiosk PUBLIC vp_syncclient)
    target_compile_definitions(vp_kiosk PRIVATE VP_HAVE_SYNCCLIENT=1)
  else()
    message(STATUS "kiosk: sync client not built yet; enrolment and sync are stubs")
  endif()

  add_executable(vindplaats-kiosk kiosk/main.c)
  target_link_libraries(vindplaats-kiosk PRIVATE vp_kiosk)
endif()
