// Bootstrap Italia bundles video.js, which otherwise adds an inline <style> to every page (refused
// by the Content-Security-Policy, which allows no inline style). The site shows no videos.
window.VIDEOJS_NO_DYNAMIC_STYLE = true;
