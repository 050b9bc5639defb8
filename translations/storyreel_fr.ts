<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>AboutDialog</name>
    <message>
        <source>&lt;h3&gt;Storyreel %1&lt;/h3&gt;&lt;p&gt;Turns storyboards into moving shots.&lt;/p&gt;&lt;p&gt;LibTorch %2&lt;br&gt;FFmpeg %3&lt;br&gt;OpenCV %4&lt;br&gt;Compute devices: %5&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Storyreel %1&lt;/h3&gt;&lt;p&gt;Transforme les storyboards en plans animés.&lt;/p&gt;&lt;p&gt;LibTorch %2&lt;br&gt;FFmpeg %3&lt;br&gt;OpenCV %4&lt;br&gt;Processeurs de calcul : %5&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About Storyreel</source>
        <translation>À propos de Storyreel</translation>
    </message>
</context>
<context>
    <name>Cli</name>
    <message>
        <source>storyreel-cli %1: not available yet: %2 comes in a later version of Storyreel.</source>
        <translation>storyreel-cli %1 : pas encore disponible : %2 arrive dans une prochaine version de Storyreel.</translation>
    </message>
    <message>
        <source>The motion prompt.</source>
        <translation>La description du mouvement.</translation>
    </message>
    <message>
        <source>Duration (default 4).</source>
        <translation>Durée (4 par défaut).</translation>
    </message>
    <message>
        <source>Frame rate (default 24).</source>
        <translation>Images par seconde (24 par défaut).</translation>
    </message>
    <message>
        <source>Output size, e.g. 1280x720.</source>
        <translation>Taille de sortie, par exemple 1280x720.</translation>
    </message>
    <message>
        <source>Random seed for shake and drift.</source>
        <translation>Graine aléatoire pour le tremblement et la dérive.</translation>
    </message>
    <message>
        <source>image</source>
        <translation>image</translation>
    </message>
    <message>
        <source>auto, cpu, cuda or cuda:N.</source>
        <translation>auto, cpu, cuda ou cuda:N.</translation>
    </message>
    <message>
        <source>project</source>
        <translation>projet</translation>
    </message>
    <message>
        <source>The file to write.</source>
        <translation>Le fichier à écrire.</translation>
    </message>
    <message>
        <source>mp4, png, mlt, edl, fcpxml or otio.</source>
        <translation>mp4, png, mlt, edl, fcpxml ou otio.</translation>
    </message>
    <message>
        <source>Output size, e.g. 1920x1080.</source>
        <translation>Taille de sortie, par exemple 1920x1080.</translation>
    </message>
    <message>
        <source>Output frame rate.</source>
        <translation>Images par seconde en sortie.</translation>
    </message>
    <message>
        <source>Also write one clip per shot here.</source>
        <translation>Écrire aussi un clip par plan dans ce dossier.</translation>
    </message>
    <message>
        <source>Use the still image for shots without a take.</source>
        <translation>Utiliser l’image fixe pour les plans sans prise.</translation>
    </message>
    <message>
        <source>folder</source>
        <translation>dossier</translation>
    </message>
    <message>
        <source>unexpected argument &apos;%1&apos;</source>
        <translation>argument inattendu « %1 »</translation>
    </message>
    <message>
        <source>Frame size, e.g. 1280x720.</source>
        <translation>Taille d’image, par exemple 1280x720.</translation>
    </message>
    <message>
        <source>benchmark name</source>
        <translation>nom du banc d’essai</translation>
    </message>
    <message>
        <source>Animate one image with the Animatic engine.</source>
        <translation>Animer une image avec le moteur Animatique.</translation>
    </message>
    <message>
        <source>Export the timeline as video or editor files.</source>
        <translation>Exporter la timeline en vidéo ou en fichiers de montage.</translation>
    </message>
    <message>
        <source>Run a benchmark and print a table.</source>
        <translation>Lancer un banc d’essai et afficher un tableau.</translation>
    </message>
    <message>
        <source>missing %1</source>
        <translation>%1 manquant</translation>
    </message>
    <message>
        <source>missing --%1</source>
        <translation>--%1 manquant</translation>
    </message>
    <message>
        <source>%1 not found: %2</source>
        <translation>%1 introuvable : %2</translation>
    </message>
    <message>
        <source>%1 is not a file: %2</source>
        <translation>%1 n’est pas un fichier : %2</translation>
    </message>
    <message>
        <source>project not found: %1</source>
        <translation>projet introuvable : %1</translation>
    </message>
    <message>
        <source>not a project folder (NAME.storyreel): %1</source>
        <translation>pas un dossier de projet (NOM.storyreel) : %1</translation>
    </message>
    <message>
        <source>output folder does not exist: %1</source>
        <translation>le dossier de sortie n’existe pas : %1</translation>
    </message>
    <message>
        <source>output is a folder, expected a file: %1</source>
        <translation>la sortie est un dossier, un fichier est attendu : %1</translation>
    </message>
    <message>
        <source>--size must be WIDTHxHEIGHT between 16 and 8192, e.g. 1280x720 (got &apos;%1&apos;)</source>
        <translation>--size doit être LARGEURxHAUTEUR entre 16 et 8192, par exemple 1280x720 (reçu « %1 »)</translation>
    </message>
    <message>
        <source>--%1 must be a number from %2 to %3 (got &apos;%4&apos;)</source>
        <translation>--%1 doit être un nombre de %2 à %3 (reçu « %4 »)</translation>
    </message>
    <message>
        <source>%1 must be one of %2 (got &apos;%3&apos;)</source>
        <translation>%1 doit être l’un de %2 (reçu « %3 »)</translation>
    </message>
    <message>
        <source>storyreel-cli: %1. Try &apos;%2&apos;.</source>
        <translation>storyreel-cli : %1. Essayez « %2 ».</translation>
    </message>
    <message>
        <source>Usage: storyreel-cli [--lang en|fr] COMMAND [options]</source>
        <translation>Utilisation : storyreel-cli [--lang en|fr] COMMANDE [options]</translation>
    </message>
    <message>
        <source>Storyreel turns storyboards into moving shots. Commands:</source>
        <translation>Storyreel transforme les storyboards en plans animés. Commandes :</translation>
    </message>
    <message>
        <source>Run &apos;storyreel-cli COMMAND --help&apos; for a command&apos;s options.
Other options: --help, --version, --lang en|fr.
Exit status: 0 done, 1 failed, 2 bad usage.</source>
        <translation>Lancez « storyreel-cli COMMANDE --help » pour les options d’une commande.
Autres options : --help, --version, --lang en|fr.
Code de sortie : 0 terminé, 1 échec, 2 mauvaise utilisation.</translation>
    </message>
    <message>
        <source>Device %1</source>
        <translation>Processeur %1</translation>
    </message>
    <message>
        <source>Language of messages: en or fr.</source>
        <translation>Langue des messages : en ou fr.</translation>
    </message>
    <message>
        <source>unknown option &apos;%1&apos;</source>
        <translation>option inconnue « %1 »</translation>
    </message>
    <message>
        <source>unknown command &apos;%1&apos;</source>
        <translation>commande inconnue « %1 »</translation>
    </message>
    <message>
        <source>The still image to animate.</source>
        <translation>L’image fixe à animer.</translation>
    </message>
    <message>
        <source>The NAME.storyreel project folder.</source>
        <translation>Le dossier de projet NOM.storyreel.</translation>
    </message>
    <message>
        <source>What to measure: export or animatic.</source>
        <translation>Ce qu’il faut mesurer : export ou animatic.</translation>
    </message>
    <message>
        <source>A CSV shot list: image,prompt,preset,seconds[,seed,negative].</source>
        <translation>Une liste de plans CSV : image,prompt,preset,seconds[,seed,negative].</translation>
    </message>
    <message>
        <source>The project&apos;s title.</source>
        <translation>Le titre du projet.</translation>
    </message>
    <message>
        <source>Default preset for the shots.</source>
        <translation>Le préréglage par défaut des plans.</translation>
    </message>
    <message>
        <source>Duration of shots that do not say (default 4).</source>
        <translation>Durée des plans qui ne l’indiquent pas (4 par défaut).</translation>
    </message>
    <message>
        <source>give either images or --shots, not both</source>
        <translation>indiquez soit des images, soit --shots, pas les deux</translation>
    </message>
    <message>
        <source>shot list</source>
        <translation>liste de plans</translation>
    </message>
    <message>
        <source>Created %1 (shots: %2, length %3:%4).</source>
        <translation>%1 créé (plans : %2, durée %3:%4).</translation>
    </message>
    <message>
        <source>Create a project from images or a CSV shot list.</source>
        <translation>Créer un projet à partir d’images ou d’une liste de plans CSV.</translation>
    </message>
    <message>
        <source>The NAME.storyreel folder to create, then the images.</source>
        <translation>Le dossier NOM.storyreel à créer, puis les images.</translation>
    </message>
    <message>
        <source>Length of the test video (default 10).</source>
        <translation>Durée de la vidéo d’essai (10 par défaut).</translation>
    </message>
    <message>
        <source>Wrote %1.</source>
        <translation>%1 écrit.</translation>
    </message>
    <message>
        <source>frame %1/%2 · %3 fps · %4 s left</source>
        <translation>image %1/%2 · %3 i/s · %4 s restantes</translation>
    </message>
    <message>
        <source>Takes at another rate: repeat, blend or motion (default).</source>
        <translation>Prises à une autre cadence : repeat, blend ou motion (par défaut).</translation>
    </message>
    <message>
        <source>H.264 quality, 0-51 (default 18, lower is better).</source>
        <translation>Qualité H.264, 0-51 (18 par défaut, plus bas est meilleur).</translation>
    </message>
    <message>
        <source>x264 speed: ultrafast ... veryslow (default medium).</source>
        <translation>Vitesse x264 : ultrafast ... veryslow (medium par défaut).</translation>
    </message>
    <message>
        <source>The MP4 file to write, or a new folder for PNG frames.</source>
        <translation>Le fichier MP4 à écrire, ou un nouveau dossier pour des images PNG.</translation>
    </message>
    <message>
        <source>Number of frames (instead of --seconds).</source>
        <translation>Nombre d’images (au lieu de --seconds).</translation>
    </message>
    <message>
        <source>Output size, e.g. 1280x720 (default: 720 high, the image&apos;s shape).</source>
        <translation>Taille de sortie, par exemple 1280x720 (par défaut : 720 de haut, aux proportions de l’image).</translation>
    </message>
    <message>
        <source>Shutter angle in degrees, e.g. 180 (default: none).</source>
        <translation>Angle d’obturation en degrés, par exemple 180 (par défaut : aucun).</translation>
    </message>
    <message>
        <source>A subtle breathing zoom on static shots.</source>
        <translation>Un léger zoom respirant sur les plans fixes.</translation>
    </message>
    <message>
        <source>give either --seconds or --frames, not both</source>
        <translation>indiquez soit --seconds, soit --frames, pas les deux</translation>
    </message>
    <message>
        <source>depth map</source>
        <translation>carte de profondeur</translation>
    </message>
    <message>
        <source>Motion: %1</source>
        <translation>Mouvement : %1</translation>
    </message>
    <message>
        <source>Ignored words: %1</source>
        <translation>Mots ignorés : %1</translation>
    </message>
    <message>
        <source>Shots to render, e.g. 1,3-5 (default: all).</source>
        <translation>Plans à générer, par exemple 1,3-5 (par défaut : tous).</translation>
    </message>
    <message>
        <source>--shots must list shot numbers like 1,3-5 (got &apos;%1&apos;)</source>
        <translation>--shots doit lister des numéros de plans comme 1,3-5 (reçu « %1 »)</translation>
    </message>
    <message>
        <source>Shot %1: %2</source>
        <translation>Plan %1 : %2</translation>
    </message>
    <message>
        <source>Render takes for a project&apos;s Animatic shots.</source>
        <translation>Générer des prises pour les plans Animatique d’un projet.</translation>
    </message>
    <message>
        <source>A greyscale depth map for parallax (white is near).</source>
        <translation>Une carte de profondeur en niveaux de gris pour la parallaxe (le blanc est proche).</translation>
    </message>
    <message>
        <source>Parallax from an estimated depth (without --depth).</source>
        <translation>Parallaxe à partir d’une profondeur estimée (sans --depth).</translation>
    </message>
    <message>
        <source>Inspect and verify model files.</source>
        <translation>Examiner et vérifier les fichiers de modèles.</translation>
    </message>
    <message>
        <source>inspect or verify, then a model file or a models folder.</source>
        <translation>inspect ou verify, puis un fichier de modèle ou un dossier de modèles.</translation>
    </message>
    <message>
        <source>not a model Storyreel knows</source>
        <translation>pas un modèle connu de Storyreel</translation>
    </message>
    <message>
        <source>cannot be read: %1</source>
        <translation>illisible : %1</translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>Modèle : %1</translation>
    </message>
    <message>
        <source>Variant: %1</source>
        <translation>Variante : %1</translation>
    </message>
    <message>
        <source>%1, scaled fp8</source>
        <translation>%1, fp8 mis à l’échelle</translation>
    </message>
    <message>
        <source>Layout: %1</source>
        <translation>Organisation : %1</translation>
    </message>
    <message>
        <source>Licence: %1</source>
        <translation>Licence : %1</translation>
    </message>
    <message>
        <source>Note: %1</source>
        <translation>Remarque : %1</translation>
    </message>
    <message>
        <source>Format: %1, %2 tensors, %3</source>
        <translation>Format : %1, %2 tenseurs, %3</translation>
    </message>
    <message>
        <source>Tensors (name, dtype, shape, bytes):</source>
        <translation>Tenseurs (nom, type, forme, octets) :</translation>
    </message>
    <message>
        <source>Preset %1: %2</source>
        <translation>Préréglage %1 : %2</translation>
    </message>
    <message>
        <source>every file found</source>
        <translation>tous les fichiers trouvés</translation>
    </message>
    <message>
        <source>incomplete</source>
        <translation>incomplet</translation>
    </message>
    <message>
        <source>  Licence: %1</source>
        <translation>  Licence : %1</translation>
    </message>
    <message>
        <source>  %1: found %2</source>
        <translation>  %1 : trouvé %2</translation>
    </message>
    <message>
        <source>  %1: %2 does not fit: %3</source>
        <translation>  %1 : %2 ne convient pas : %3</translation>
    </message>
    <message>
        <source>  %1: not found (optional; %2)</source>
        <translation>  %1 : introuvable (facultatif ; %2)</translation>
    </message>
    <message>
        <source>  %1: missing (%2)</source>
        <translation>  %1 : manquant (%2)</translation>
    </message>
    <message>
        <source>Models folder %1: %2 files</source>
        <translation>Dossier des modèles %1 : %2 fichiers</translation>
    </message>
    <message>
        <source>%1: tensor &apos;%2&apos; is missing</source>
        <translation>%1 : le tenseur « %2 » manque</translation>
    </message>
    <message>
        <source>%1: tensor &apos;%2&apos; is incomplete: %3</source>
        <translation>%1 : le tenseur « %2 » est incomplet : %3</translation>
    </message>
    <message>
        <source>%1: tensor &apos;%2&apos; has the wrong shape: %3</source>
        <translation>%1 : le tenseur « %2 » n’a pas la bonne forme : %3</translation>
    </message>
    <message>
        <source>%1: this shard is missing (it should hold tensor &apos;%2&apos;)</source>
        <translation>%1 : ce fragment manque (il devrait contenir le tenseur « %2 »)</translation>
    </message>
    <message>
        <source>%1: tensor &apos;%2&apos; is not in this shard: %3</source>
        <translation>%1 : le tenseur « %2 » n’est pas dans ce fragment : %3</translation>
    </message>
    <message>
        <source>%1: tensor &apos;%2&apos; cannot be read: %3</source>
        <translation>%1 : le tenseur « %2 » est illisible : %3</translation>
    </message>
    <message>
        <source>%1: tensor &apos;%2&apos; holds %3</source>
        <translation>%1 : le tenseur « %2 » contient %3</translation>
    </message>
    <message>
        <source>%1: cannot be read: %2</source>
        <translation>%1 : illisible : %2</translation>
    </message>
    <message>
        <source>%1: holds no model Storyreel knows</source>
        <translation>%1 : ne contient aucun modèle connu de Storyreel</translation>
    </message>
    <message>
        <source>preset %1 is missing: %2</source>
        <translation>il manque au préréglage %1 : %2</translation>
    </message>
    <message>
        <source>error: %1</source>
        <translation>erreur : %1</translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation>avertissement : %1</translation>
    </message>
    <message>
        <source>Preset %1: every file found</source>
        <translation>Préréglage %1 : tous les fichiers trouvés</translation>
    </message>
    <message>
        <source>The model files are complete and intact.</source>
        <translation>Les fichiers de modèles sont complets et intacts.</translation>
    </message>
    <message numerus="yes">
        <source>Problems found: %n.</source>
        <translation>
            <numerusform>%n problème trouvé.</numerusform>
            <numerusform>%n problèmes trouvés.</numerusform>
        </translation>
    </message>
    <message>
        <source>No preset has every file it needs.</source>
        <translation>Aucun préréglage n’a tous les fichiers dont il a besoin.</translation>
    </message>
    <message>
        <source>inspect: print JSON instead of text.</source>
        <translation>inspect : afficher du JSON au lieu de texte.</translation>
    </message>
    <message>
        <source>verify: read every tensor and look for NaN or Inf.</source>
        <translation>verify : lire chaque tenseur et chercher des NaN ou des Inf.</translation>
    </message>
    <message>
        <source>action</source>
        <translation>action</translation>
    </message>
    <message>
        <source>missing the model file or folder after &apos;%1&apos;</source>
        <translation>il manque le fichier ou dossier de modèle après « %1 »</translation>
    </message>
    <message>
        <source>model file or folder</source>
        <translation>fichier ou dossier de modèle</translation>
    </message>
    <message>
        <source>Generate a clip from one image with a neural engine (Wan 2.1).</source>
        <translation>Générer un clip à partir d’une image avec un moteur neuronal (Wan 2.1).</translation>
    </message>
    <message>
        <source>LoRA strength must be between -10 and 10: %1</source>
        <translation>La force d’un LoRA doit être entre -10 et 10 : %1</translation>
    </message>
    <message>
        <source>LoRA</source>
        <translation>LoRA</translation>
    </message>
    <message>
        <source>loading the models…</source>
        <translation>chargement des modèles…</translation>
    </message>
    <message>
        <source>encoding the prompt and the image %1/%2</source>
        <translation>encodage du prompt et de l’image %1/%2</translation>
    </message>
    <message>
        <source>step %1/%2 · %3 s left</source>
        <translation>pas %1/%2 · %3 s restantes</translation>
    </message>
    <message>
        <source>step %1/%2</source>
        <translation>pas %1/%2</translation>
    </message>
    <message>
        <source>decoding the video…</source>
        <translation>décodage de la vidéo…</translation>
    </message>
    <message>
        <source>The engine: wan (default) or hunyuan.</source>
        <translation>Le moteur : wan (par défaut) ou hunyuan.</translation>
    </message>
    <message>
        <source>The models folder (default: $STORYREEL_MODELS_DIR).</source>
        <translation>Le dossier des modèles (par défaut : $STORYREEL_MODELS_DIR).</translation>
    </message>
    <message>
        <source>What happens in the shot.</source>
        <translation>Ce qui se passe dans le plan.</translation>
    </message>
    <message>
        <source>Denoising steps (default: the preset&apos;s).</source>
        <translation>Pas de débruitage (par défaut : ceux du préréglage).</translation>
    </message>
    <message>
        <source>Random seed (default 0).</source>
        <translation>Graine aléatoire (0 par défaut).</translation>
    </message>
    <message>
        <source>Memory profile: auto (default), 8gb, 12gb, 16gb, 24gb, 48gb, 80gb or cpu.</source>
        <translation>Profil mémoire : auto (par défaut), 8gb, 12gb, 16gb, 24gb, 48gb, 80gb ou cpu.</translation>
    </message>
    <message>
        <source>auto (default), cpu, cuda or cuda:N.</source>
        <translation>auto (par défaut), cpu, cuda ou cuda:N.</translation>
    </message>
    <message>
        <source>The MP4 (or lossless .mkv) to write, or a new folder for PNG frames.</source>
        <translation>Le MP4 (ou .mkv sans perte) à écrire, ou un nouveau dossier pour des images PNG.</translation>
    </message>
    <message>
        <source>models folder</source>
        <translation>dossier des modèles</translation>
    </message>
    <message>
        <source>missing --models (or set STORYREEL_MODELS_DIR to the models folder)</source>
        <translation>--models manquant (ou indiquez le dossier des modèles dans STORYREEL_MODELS_DIR)</translation>
    </message>
    <message>
        <source>--frames must be 4n+1 (for example 49 or 81), not %1</source>
        <translation>--frames doit valoir 4n+1 (par exemple 49 ou 81), pas %1</translation>
    </message>
    <message>
        <source>Decoded the saved latents of an earlier run; no denoising.</source>
        <translation>Latents enregistrés d’un rendu précédent décodés ; pas de débruitage.</translation>
    </message>
    <message>
        <source>Wrote %1 (%2 frames, %3x%4).</source>
        <translation>%1 écrit (%2 images, %3x%4).</translation>
    </message>
    <message>
        <source>Wan: quality (default) or fast-wan (4 steps with the step-distillation LoRA); HunyuanVideo: fast.</source>
        <translation>Wan : quality (par défaut) ou fast-wan (4 étapes avec la LoRA de distillation) ; HunyuanVideo : fast.</translation>
    </message>
    <message>
        <source>What to avoid (default: the model&apos;s own negative prompt; HunyuanVideo uses it only with --guidance above 1).</source>
        <translation>Ce qu’il faut éviter (par défaut : le prompt négatif du modèle ; HunyuanVideo ne s’en sert qu’avec --guidance au-dessus de 1).</translation>
    </message>
    <message>
        <source>Number of frames, 4n+1 (Wan: default 81, 5 s at 16 fps; HunyuanVideo: default 129, 5.4 s at 24 fps).</source>
        <translation>Nombre d’images, 4n+1 (Wan : 81 par défaut, 5 s à 16 i/s ; HunyuanVideo : 129 par défaut, 5,4 s à 24 i/s).</translation>
    </message>
    <message>
        <source>Wan: the pixel budget, 480p (default), 720p or WxH; HunyuanVideo: 360p, 540p or 720p (default). The video keeps the image&apos;s shape.</source>
        <translation>Wan : le budget de pixels, 480p (par défaut), 720p ou LxH ; HunyuanVideo : 360p, 540p ou 720p (par défaut). La vidéo garde les proportions de l’image.</translation>
    </message>
    <message>
        <source>Classifier-free guidance (default: the preset&apos;s; 1 for HunyuanVideo, which has embedded guidance).</source>
        <translation>Guidage sans classifieur (par défaut : celui du préréglage ; 1 pour HunyuanVideo, qui a un guidage intégré).</translation>
    </message>
    <message>
        <source>Flow shift (Wan: 3 at 480p, 5 above, 5 for fast-wan; HunyuanVideo: 7 stable, 17 dynamic).</source>
        <translation>Décalage du flux (Wan : 3 en 480p, 5 au-delà, 5 pour fast-wan ; HunyuanVideo : 7 en stable, 17 en dynamique).</translation>
    </message>
    <message>
        <source>Wan: unipc (default), dpm++ or euler.</source>
        <translation>Wan : unipc (par défaut), dpm++ ou euler.</translation>
    </message>
    <message>
        <source>Wan: a LoRA file, optionally :STRENGTH (repeatable).</source>
        <translation>Wan : un fichier LoRA, avec :FORCE en option (répétable).</translation>
    </message>
    <message>
        <source>HunyuanVideo: the embedded guidance (default 6).</source>
        <translation>HunyuanVideo : le guidage intégré (6 par défaut).</translation>
    </message>
    <message>
        <source>HunyuanVideo: stable (default: less motion, shift 7) or dynamic (more motion, shift 17).</source>
        <translation>HunyuanVideo : stable (par défaut : moins de mouvement, décalage 7) ou dynamic (plus de mouvement, décalage 17).</translation>
    </message>
    <message>
        <source>HunyuanVideo: confirm that the Tencent Hunyuan Community License covers you (it excludes the European Union, the United Kingdom and South Korea).</source>
        <translation>HunyuanVideo : confirmer que la Tencent Hunyuan Community License vous couvre (elle exclut l’Union européenne, le Royaume-Uni et la Corée du Sud).</translation>
    </message>
    <message>
        <source>--engine hunyuan runs the preset fast only</source>
        <translation>--engine hunyuan ne fait tourner que le préréglage fast</translation>
    </message>
    <message>
        <source>--lora and --sampler are for --engine wan</source>
        <translation>--lora et --sampler sont pour --engine wan</translation>
    </message>
    <message>
        <source>--%1 is for --engine hunyuan</source>
        <translation>--%1 est pour --engine hunyuan</translation>
    </message>
</context>
<context>
    <name>EditShotCommand</name>
    <message>
        <source>Edit Shot</source>
        <translation>Modifier le plan</translation>
    </message>
</context>
<context>
    <name>Gui</name>
    <message>
        <source>Storyreel turns storyboards into moving shots.</source>
        <translation>Storyreel transforme les storyboards en plans animés.</translation>
    </message>
    <message>
        <source>Interface language: en or fr.</source>
        <translation>Langue de l’interface : en ou fr.</translation>
    </message>
    <message>
        <source>Save a picture of the main window to &lt;file&gt; and quit.</source>
        <translation>Enregistrer une image de la fenêtre principale dans &lt;fichier&gt; et quitter.</translation>
    </message>
    <message>
        <source>The NAME.storyreel folder to open (default: the sample storyboard).</source>
        <translation>Le dossier NOM.storyreel à ouvrir (par défaut : le storyboard d’exemple).</translation>
    </message>
    <message>
        <source>storyreel: %1. Try &apos;storyreel --help&apos;.</source>
        <translation>storyreel : %1. Essayez « storyreel --help ».</translation>
    </message>
    <message>
        <source>storyreel: give one project at most.</source>
        <translation>storyreel : indiquez un projet au plus.</translation>
    </message>
    <message>
        <source>storyreel: project not found: %1</source>
        <translation>storyreel : projet introuvable : %1</translation>
    </message>
    <message>
        <source>Cannot Open Project</source>
        <translation>Impossible d’ouvrir le projet</translation>
    </message>
    <message>
        <source>storyreel: cannot write %1</source>
        <translation>storyreel : impossible d’écrire %1</translation>
    </message>
</context>
<context>
    <name>LicenceNotice</name>
    <message>
        <source>Wan 2.1 is released by Alibaba under the Apache License 2.0: it may be used anywhere, including commercially. Distillation LoRAs carry their own licences; check the page you downloaded them from.</source>
        <translation>Wan 2.1 est publié par Alibaba sous licence Apache 2.0 : il peut être utilisé partout, y compris commercialement. Les LoRA de distillation ont leurs propres licences ; vérifiez la page d’où vous les avez téléchargés.</translation>
    </message>
    <message>
        <source>HunyuanVideo-I2V is released by Tencent under the Tencent Hunyuan Community License. That licence does not cover the European Union, the United Kingdom or South Korea: it may not be used there. Products or services with more than 100 million monthly active users need a separate licence from Tencent. Users in the excluded territories can use Fast (Wan, distilled) instead, whose licence has no such limit.</source>
        <translation>HunyuanVideo-I2V est publié par Tencent sous la Tencent Hunyuan Community License. Cette licence ne couvre pas l’Union européenne, le Royaume-Uni ni la Corée du Sud : il ne peut pas y être utilisé. Les produits ou services de plus de 100 millions d’utilisateurs actifs par mois ont besoin d’une licence séparée de Tencent. Dans les territoires exclus, utilisez plutôt Rapide (Wan, distillé), dont la licence n’a pas cette limite.</translation>
    </message>
    <message>
        <source>Licence of %1</source>
        <translation>Licence de %1</translation>
    </message>
    <message>
        <source>I have read this, and I am not in the European Union, the United Kingdom or South Korea.</source>
        <translation>J’ai lu ceci, et je ne suis pas dans l’Union européenne, au Royaume-Uni ni en Corée du Sud.</translation>
    </message>
    <message>
        <source>Use HunyuanVideo</source>
        <translation>Utiliser HunyuanVideo</translation>
    </message>
    <message>
        <source>Not Now</source>
        <translation>Pas maintenant</translation>
    </message>
</context>
<context>
    <name>PresetNames</name>
    <message>
        <source>Animatic</source>
        <translation>Animatique</translation>
    </message>
    <message>
        <source>Fast</source>
        <translation>Rapide</translation>
    </message>
    <message>
        <source>Fast (Wan, distilled)</source>
        <translation>Rapide (Wan, distillé)</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>Qualité</translation>
    </message>
</context>
<context>
    <name>RemoveShotsCommand</name>
    <message numerus="yes">
        <source>Delete Shots (%n)</source>
        <translation>
            <numerusform>Supprimer %n plan</numerusform>
            <numerusform>Supprimer %n plans</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RenderQueue</name>
    <message>
        <source>%1 GB GPU</source>
        <translation>GPU de %1 Go</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>about %1 on the CPU</source>
        <translation>environ %1 sur le processeur</translation>
    </message>
    <message>
        <source>about %1 · %2 GB of %3 GB free GPU memory</source>
        <translation>environ %1 · %2 Go sur %3 Go de mémoire GPU libre</translation>
    </message>
    <message>
        <source>about %1 · %2 GB GPU memory</source>
        <translation>environ %1 · %2 Go de mémoire GPU</translation>
    </message>
    <message>
        <source>needs %1 GB of GPU memory, %2 GB free, and no memory profile fits: use a shorter shot or a smaller size</source>
        <translation>demande %1 Go de mémoire GPU pour %2 Go libres, et aucun profil mémoire ne suffit : raccourcissez le plan ou réduisez la taille</translation>
    </message>
    <message>
        <source>needs %1 GB of GPU memory, %2 GB free: choose the memory profile “%3” (Tools &gt; Models, or the shot&apos;s Advanced settings)</source>
        <translation>demande %1 Go de mémoire GPU pour %2 Go libres : choisissez le profil mémoire « %3 » (Outils &gt; Modèles, ou les réglages avancés du plan)</translation>
    </message>
</context>
<context>
    <name>ReorderShotsCommand</name>
    <message>
        <source>Reorder Shots</source>
        <translation>Réordonner les plans</translation>
    </message>
</context>
<context>
    <name>SampleProject</name>
    <message>
        <source>Cannot create folder %1.</source>
        <translation>Impossible de créer le dossier %1.</translation>
    </message>
    <message>
        <source>Cannot write %1.</source>
        <translation>Impossible d’écrire %1.</translation>
    </message>
</context>
<context>
    <name>Translations</name>
    <message>
        <source>Unknown language &apos;%1&apos;: use one of %2.</source>
        <translation>Langue inconnue « %1 » : utilisez l’une de %2.</translation>
    </message>
</context>
<context>
    <name>storyreel::ui::ExportDialog</name>
    <message>
        <source>Show the still image for shots without a take</source>
        <translation>Montrer l’image fixe pour les plans sans prise</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exporter</translation>
    </message>
    <message>
        <source>Open Folder</source>
        <translation>Ouvrir le dossier</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Video (MP4, H.264)</source>
        <translation>Vidéo (MP4, H.264)</translation>
    </message>
    <message>
        <source>One video per shot (MP4)</source>
        <translation>Une vidéo par plan (MP4)</translation>
    </message>
    <message>
        <source>Image sequence (PNG)</source>
        <translation>Séquence d’images (PNG)</translation>
    </message>
    <message>
        <source>Shotcut / Kdenlive timeline (MLT)</source>
        <translation>Timeline Shotcut / Kdenlive (MLT)</translation>
    </message>
    <message>
        <source>Edit decision list (CMX3600 EDL)</source>
        <translation>Liste de montage (EDL CMX3600)</translation>
    </message>
    <message>
        <source>Final Cut Pro / DaVinci Resolve (FCPXML)</source>
        <translation>Final Cut Pro / DaVinci Resolve (FCPXML)</translation>
    </message>
    <message>
        <source>OpenTimelineIO (OTIO)</source>
        <translation>OpenTimelineIO (OTIO)</translation>
    </message>
    <message>
        <source>Without this, every shot needs a rendered take before the timeline can be exported.</source>
        <translation>Sans cette option, chaque plan doit avoir une prise générée pour que la timeline puisse être exportée.</translation>
    </message>
    <message>
        <source>Project size (%1×%2)</source>
        <translation>Taille du projet (%1×%2)</translation>
    </message>
    <message>
        <source>1920×1080</source>
        <translation>1920×1080</translation>
    </message>
    <message>
        <source>1280×720</source>
        <translation>1280×720</translation>
    </message>
    <message>
        <source>854×480</source>
        <translation>854×480</translation>
    </message>
    <message>
        <source>Project rate (%1 fps)</source>
        <translation>Cadence du projet (%1 i/s)</translation>
    </message>
    <message>
        <source>%1 fps</source>
        <translation>%1 i/s</translation>
    </message>
    <message>
        <source>Motion-compensated (smoothest)</source>
        <translation>Compensation de mouvement (la plus fluide)</translation>
    </message>
    <message>
        <source>Blend neighbouring frames</source>
        <translation>Fondu des images voisines</translation>
    </message>
    <message>
        <source>Repeat frames</source>
        <translation>Répétition des images</translation>
    </message>
    <message>
        <source>How takes made at another frame rate (Wan makes 16 fps) are brought to the export&apos;s rate.</source>
        <translation>Comment les prises faites à une autre cadence (Wan produit 16 i/s) sont amenées à la cadence de l’export.</translation>
    </message>
    <message>
        <source>Faster encoding</source>
        <translation>Encodage plus rapide</translation>
    </message>
    <message>
        <source>Balanced</source>
        <translation>Équilibré</translation>
    </message>
    <message>
        <source>Smaller file</source>
        <translation>Fichier plus petit</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>&amp;Format:</source>
        <translation>&amp;Format :</translation>
    </message>
    <message>
        <source>&amp;Save to:</source>
        <translation>&amp;Enregistrer dans :</translation>
    </message>
    <message>
        <source>Frame &amp;size:</source>
        <translation>&amp;Taille d’image :</translation>
    </message>
    <message>
        <source>Frame &amp;rate:</source>
        <translation>&amp;Cadence :</translation>
    </message>
    <message>
        <source>Rate &amp;conversion:</source>
        <translation>C&amp;onversion de cadence :</translation>
    </message>
    <message>
        <source>&amp;Quality:</source>
        <translation>&amp;Qualité :</translation>
    </message>
    <message>
        <source>&amp;Encoding:</source>
        <translation>E&amp;ncodage :</translation>
    </message>
    <message>
        <source>CRF %1</source>
        <translation>CRF %1</translation>
    </message>
    <message>
        <source>Frame %1 of %2, about %3 s left</source>
        <translation>Image %1 sur %2, environ %3 s restantes</translation>
    </message>
    <message>
        <source>Frame %1 of %2</source>
        <translation>Image %1 sur %2</translation>
    </message>
    <message>
        <source>Export cancelled; nothing was left behind.</source>
        <translation>Export annulé ; aucun fichier n’a été laissé.</translation>
    </message>
    <message>
        <source>%1 shots</source>
        <translation>%1 plans</translation>
    </message>
    <message>
        <source>%1 frames</source>
        <translation>%1 images</translation>
    </message>
    <message>
        <source>Export to Folder</source>
        <translation>Exporter dans un dossier</translation>
    </message>
    <message>
        <source>%1 files (*.%2)</source>
        <translation>Fichiers %1 (*.%2)</translation>
    </message>
    <message>
        <source>Choose where to save the export.</source>
        <translation>Choisissez où enregistrer l’export.</translation>
    </message>
    <message>
        <source>The folder %1 does not exist.</source>
        <translation>Le dossier %1 n’existe pas.</translation>
    </message>
    <message>
        <source>%1 already exists: image sequences go to a new folder.</source>
        <translation>%1 existe déjà : les séquences d’images vont dans un nouveau dossier.</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Export en cours…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>The export failed: %1</source>
        <translation>L’export a échoué : %1</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>Exporté dans %1</translation>
    </message>
</context>
<context>
    <name>storyreel::ui::MainWindow</name>
    <message>
        <source>Storyreel</source>
        <translation>Storyreel</translation>
    </message>
    <message>
        <source>Storyboard</source>
        <translation>Storyboard</translation>
    </message>
    <message>
        <source>Shot</source>
        <translation>Plan</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Timeline</translation>
    </message>
    <message>
        <source>Render Queue</source>
        <translation>File de rendu</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Open Project…</source>
        <translation>&amp;Ouvrir un projet…</translation>
    </message>
    <message>
        <source>Open &amp;Sample Storyboard</source>
        <translation>Ouvrir le storyboard d’&amp;exemple</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;ide</translation>
    </message>
    <message>
        <source>&amp;About Storyreel</source>
        <translation>À &amp;propos de Storyreel</translation>
    </message>
    <message>
        <source>Open Project</source>
        <translation>Ouvrir un projet</translation>
    </message>
    <message>
        <source>Cannot Open Project</source>
        <translation>Impossible d’ouvrir le projet</translation>
    </message>
    <message>
        <source>Cannot Open the Sample Storyboard</source>
        <translation>Impossible d’ouvrir le storyboard d’exemple</translation>
    </message>
    <message>
        <source>No project open</source>
        <translation>Aucun projet ouvert</translation>
    </message>
    <message>
        <source>GPU: %1</source>
        <translation>GPU : %1</translation>
    </message>
    <message>
        <source>LibTorch %1</source>
        <translation>LibTorch %1</translation>
    </message>
    <message>
        <source>Shots: %1 · length %2:%3 · %4×%5 at %6 fps</source>
        <translation>Plans : %1 · durée %2:%3 · %4×%5 à %6 i/s</translation>
    </message>
    <message>
        <source>&amp;Render</source>
        <translation>&amp;Rendu</translation>
    </message>
    <message>
        <source>Render &amp;Selected Shots</source>
        <translation>Générer les plans &amp;sélectionnés</translation>
    </message>
    <message>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <source>Render &amp;All Shots</source>
        <translation>Générer &amp;tous les plans</translation>
    </message>
    <message>
        <source>Ctrl+Shift+R</source>
        <translation>Ctrl+Shift+R</translation>
    </message>
    <message>
        <source>&amp;Cancel All Jobs</source>
        <translation>&amp;Annuler tous les rendus</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Enregistrer</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>É&amp;dition</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Annuler</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Rétablir</translation>
    </message>
    <message>
        <source>Opening was cancelled to keep the unsaved changes.</source>
        <translation>Ouverture annulée pour garder les modifications non enregistrées.</translation>
    </message>
    <message>
        <source>%1[*] — Storyreel</source>
        <translation>%1[*] — Storyreel</translation>
    </message>
    <message>
        <source>Cannot Save Project</source>
        <translation>Impossible d’enregistrer le projet</translation>
    </message>
    <message>
        <source>Unsaved Changes</source>
        <translation>Modifications non enregistrées</translation>
    </message>
    <message>
        <source>The project has unsaved changes. Save them first?</source>
        <translation>Le projet a des modifications non enregistrées. Les enregistrer d’abord ?</translation>
    </message>
    <message>
        <source>Cannot preview: %1</source>
        <translation>Aperçu impossible : %1</translation>
    </message>
    <message>
        <source>&amp;New Project…</source>
        <translation>&amp;Nouveau projet…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>Ouvrir un projet &amp;récent</translation>
    </message>
    <message>
        <source>Add &amp;Images…</source>
        <translation>Ajouter des &amp;images…</translation>
    </message>
    <message>
        <source>Ctrl+I</source>
        <translation>Ctrl+I</translation>
    </message>
    <message>
        <source>Import Shot &amp;List (CSV)…</source>
        <translation>Importer une &amp;liste de plans (CSV)…</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>Enregistrer &amp;sous…</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>E&amp;xporter…</translation>
    </message>
    <message>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <source>Add shots before exporting.</source>
        <translation>Ajoutez des plans avant d’exporter.</translation>
    </message>
    <message>
        <source>&amp;Paste Images</source>
        <translation>&amp;Coller des images</translation>
    </message>
    <message>
        <source>&amp;Delete Shots</source>
        <translation>&amp;Supprimer les plans</translation>
    </message>
    <message>
        <source>Recover Unsaved Changes?</source>
        <translation>Récupérer les modifications non enregistrées ?</translation>
    </message>
    <message>
        <source>“%1” has changes that were autosaved at %2 but never saved, probably because Storyreel stopped unexpectedly.

Recover them? (Discarding keeps the project as it was last saved.)</source>
        <translation>« %1 » a des modifications enregistrées automatiquement à %2 mais jamais enregistrées, sans doute parce que Storyreel s’est arrêté de façon inattendue.

Les récupérer ? (Les abandonner garde le projet tel qu’il a été enregistré la dernière fois.)</translation>
    </message>
    <message>
        <source>Creating was cancelled to keep the unsaved changes.</source>
        <translation>Création annulée pour garder les modifications non enregistrées.</translation>
    </message>
    <message>
        <source>Create or open a project before adding shots.</source>
        <translation>Créez ou ouvrez un projet avant d’ajouter des plans.</translation>
    </message>
    <message>
        <source>Still adding the previous shots…</source>
        <translation>Ajout des plans précédents en cours…</translation>
    </message>
    <message>
        <source>Adding shots…</source>
        <translation>Ajout des plans…</translation>
    </message>
    <message>
        <source>Some Files Were Not Added</source>
        <translation>Certains fichiers n’ont pas été ajoutés</translation>
    </message>
    <message>
        <source>Cannot Create Project</source>
        <translation>Impossible de créer le projet</translation>
    </message>
    <message>
        <source>Add Images</source>
        <translation>Ajouter des images</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.webp *.tif *.tiff *.bmp)</source>
        <translation>Images (*.png *.jpg *.jpeg *.webp *.tif *.tiff *.bmp)</translation>
    </message>
    <message>
        <source>Import Shot List</source>
        <translation>Importer une liste de plans</translation>
    </message>
    <message>
        <source>Shot lists (*.csv)</source>
        <translation>Listes de plans (*.csv)</translation>
    </message>
    <message>
        <source>The clipboard holds no picture or image file.</source>
        <translation>Le presse-papiers ne contient ni image ni fichier image.</translation>
    </message>
    <message>
        <source>&amp;Playback</source>
        <translation>&amp;Lecture</translation>
    </message>
    <message>
        <source>Play/Pause</source>
        <translation>Lecture/Pause</translation>
    </message>
    <message>
        <source>Play Backwards (J)</source>
        <translation>Lecture arrière (J)</translation>
    </message>
    <message>
        <source>Stop (K)</source>
        <translation>Arrêt (K)</translation>
    </message>
    <message>
        <source>Play Forwards (L)</source>
        <translation>Lecture avant (L)</translation>
    </message>
    <message>
        <source>Previous Frame</source>
        <translation>Image précédente</translation>
    </message>
    <message>
        <source>Next Frame</source>
        <translation>Image suivante</translation>
    </message>
    <message>
        <source>Go to Start</source>
        <translation>Aller au début</translation>
    </message>
    <message>
        <source>Go to End</source>
        <translation>Aller à la fin</translation>
    </message>
    <message>
        <source>Set In Point</source>
        <translation>Définir le point d’entrée</translation>
    </message>
    <message>
        <source>Set Out Point</source>
        <translation>Définir le point de sortie</translation>
    </message>
    <message>
        <source>Clear In and Out</source>
        <translation>Effacer l’entrée et la sortie</translation>
    </message>
    <message>
        <source>Loop</source>
        <translation>Boucle</translation>
    </message>
    <message>
        <source>Full Screen Preview</source>
        <translation>Aperçu en plein écran</translation>
    </message>
    <message>
        <source>Autosave failed: %1</source>
        <translation>L’enregistrement automatique a échoué : %1</translation>
    </message>
    <message>
        <source>Save Project As</source>
        <translation>Enregistrer le projet sous</translation>
    </message>
    <message>
        <source>Storyreel projects (*.storyreel)</source>
        <translation>Projets Storyreel (*.storyreel)</translation>
    </message>
    <message>
        <source>No recent projects</source>
        <translation>Aucun projet récent</translation>
    </message>
    <message>
        <source>Clear Recent Projects</source>
        <translation>Effacer les projets récents</translation>
    </message>
    <message numerus="yes">
        <source>Add Shots (%n)</source>
        <translation>
            <numerusform>Ajouter %n plan</numerusform>
            <numerusform>Ajouter %n plans</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Files that could not become shots: %n</source>
        <translation>
            <numerusform>%n fichier n’a pas pu devenir un plan :</numerusform>
            <numerusform>%n fichiers n’ont pas pu devenir des plans :</numerusform>
        </translation>
    </message>
    <message>
        <source>Takes</source>
        <translation>Prises</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>&amp;Outils</translation>
    </message>
    <message>
        <source>&amp;Models…</source>
        <translation>&amp;Modèles…</translation>
    </message>
    <message>
        <source>Adding a shot from the last frame…</source>
        <translation>Ajout d’un plan à partir de la dernière image…</translation>
    </message>
    <message>
        <source>Resuming renders left from last time: %1</source>
        <translation>Reprise des rendus laissés la dernière fois : %1</translation>
    </message>
    <message>
        <source>Renders in Progress</source>
        <translation>Rendus en cours</translation>
    </message>
    <message>
        <source>Renders waiting or running: %1. Quit now? They resume when you open the project again.</source>
        <translation>Rendus en attente ou en cours : %1. Quitter maintenant ? Ils reprendront à la prochaine ouverture du projet.</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>&amp;Raccourcis clavier</translation>
    </message>
    <message>
        <source>No CUDA GPU: neural presets run on the CPU, very slowly</source>
        <translation>Pas de GPU CUDA : les préréglages neuronaux tournent sur le processeur, très lentement</translation>
    </message>
</context>
<context>
    <name>storyreel::ui::ModelManagerDialog</name>
    <message>
        <source>transformer</source>
        <translation>transformeur</translation>
    </message>
    <message>
        <source>VAE</source>
        <translation>VAE</translation>
    </message>
    <message>
        <source>text encoder</source>
        <translation>encodeur de texte</translation>
    </message>
    <message>
        <source>second text encoder</source>
        <translation>second encodeur de texte</translation>
    </message>
    <message>
        <source>image encoder</source>
        <translation>encodeur d’image</translation>
    </message>
    <message>
        <source>step-distillation LoRA</source>
        <translation>LoRA de distillation des pas</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modèles</translation>
    </message>
    <message>
        <source>Automatic (from free GPU memory)</source>
        <translation>Automatique (selon la mémoire GPU libre)</translation>
    </message>
    <message>
        <source>CPU only (very slow)</source>
        <translation>Processeur seulement (très lent)</translation>
    </message>
    <message>
        <source>%1 GB GPU</source>
        <translation>GPU de %1 Go</translation>
    </message>
    <message>
        <source>How much of the models stays on the GPU: smaller profiles keep weights quantised, swap transformer blocks in from system memory and decode video in tiles, trading speed for memory.</source>
        <translation>La part des modèles qui reste sur le GPU : les petits profils gardent les poids quantifiés, chargent les blocs du transformeur depuis la mémoire système à tour de rôle et décodent la vidéo par tuiles, échangeant de la vitesse contre de la mémoire.</translation>
    </message>
    <message>
        <source>Preset and parts</source>
        <translation>Préréglage et composants</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <source>Variant</source>
        <translation>Variante</translation>
    </message>
    <message>
        <source>Layout</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>Rescan</source>
        <translation>Réexaminer</translation>
    </message>
    <message>
        <source>Models Folder</source>
        <translation>Dossier des modèles</translation>
    </message>
    <message>
        <source>Models &amp;folder:</source>
        <translation>&amp;Dossier des modèles :</translation>
    </message>
    <message>
        <source>&amp;Memory profile:</source>
        <translation>Profil &amp;mémoire :</translation>
    </message>
    <message>
        <source>Presets</source>
        <translation>Préréglages</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Fichiers</translation>
    </message>
    <message>
        <source>Wan 2.1 (Quality; Fast, distilled)</source>
        <translation>Wan 2.1 (Qualité ; Rapide, distillé)</translation>
    </message>
    <message>
        <source>HunyuanVideo-I2V (Fast)</source>
        <translation>HunyuanVideo-I2V (Rapide)</translation>
    </message>
    <message>
        <source>Licences</source>
        <translation>Licences</translation>
    </message>
    <message>
        <source>Looking at the files in %1…</source>
        <translation>Examen des fichiers de %1…</translation>
    </message>
    <message>
        <source>ready: every file found</source>
        <translation>prêt : tous les fichiers trouvés</translation>
    </message>
    <message>
        <source>files missing</source>
        <translation>fichiers manquants</translation>
    </message>
    <message>
        <source>found: %1</source>
        <translation>trouvé : %1</translation>
    </message>
    <message>
        <source>%1 does not fit: %2</source>
        <translation>%1 ne convient pas : %2</translation>
    </message>
    <message>
        <source>not found (optional)</source>
        <translation>introuvable (facultatif)</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>manquant</translation>
    </message>
    <message>
        <source>not a model Storyreel knows</source>
        <translation>pas un modèle connu de Storyreel</translation>
    </message>
    <message>
        <source>cannot be read: %1</source>
        <translation>illisible : %1</translation>
    </message>
    <message>
        <source>text encoder&apos;s vision tower</source>
        <translation>tour de vision de l’encodeur de texte</translation>
    </message>
    <message>
        <source>%1 model files found; presets ready: %2 of %3. A preset renders as soon as every part it needs is found here.</source>
        <translation>%1 fichiers de modèles trouvés ; préréglages prêts : %2 sur %3. Un préréglage peut rendre dès que toutes les parties dont il a besoin sont trouvées ici.</translation>
    </message>
</context>
<context>
    <name>storyreel::ui::NewProjectDialog</name>
    <message>
        <source>720p HD (1280×720)</source>
        <translation>720p HD (1280×720)</translation>
    </message>
    <message>
        <source>1080p Full HD (1920×1080)</source>
        <translation>1080p Full HD (1920×1080)</translation>
    </message>
    <message>
        <source>480p (832×480, Wan)</source>
        <translation>480p (832×480, Wan)</translation>
    </message>
    <message>
        <source>Vertical 720p (720×1280)</source>
        <translation>720p vertical (720×1280)</translation>
    </message>
    <message>
        <source>Square (1080×1080)</source>
        <translation>Carré (1080×1080)</translation>
    </message>
    <message>
        <source>New Project</source>
        <translation>Nouveau projet</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>Sans titre</translation>
    </message>
    <message>
        <source>%1 fps</source>
        <translation>%1 i/s</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>Where to Create the Project</source>
        <translation>Où créer le projet</translation>
    </message>
    <message>
        <source>&amp;Title:</source>
        <translation>&amp;Titre :</translation>
    </message>
    <message>
        <source>&amp;Location:</source>
        <translation>&amp;Emplacement :</translation>
    </message>
    <message>
        <source>Frame &amp;size:</source>
        <translation>&amp;Taille d’image :</translation>
    </message>
    <message>
        <source>Frame &amp;rate:</source>
        <translation>&amp;Cadence :</translation>
    </message>
    <message>
        <source>New shots &amp;use:</source>
        <translation>Les nouveaux plans &amp;utilisent :</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>Créer</translation>
    </message>
    <message>
        <source>%1 already exists: choose another title or location.</source>
        <translation>%1 existe déjà : choisissez un autre titre ou emplacement.</translation>
    </message>
    <message>
        <source>Creates %1</source>
        <translation>Crée %1</translation>
    </message>
</context>
<context>
    <name>storyreel::ui::PreviewView</name>
    <message>
        <source>still image, no take yet</source>
        <translation>image fixe, pas encore de prise</translation>
    </message>
    <message>
        <source>takes: %1, active: %2</source>
        <translation>prises : %1, active : %2</translation>
    </message>
    <message>
        <source>Loop</source>
        <translation>Boucle</translation>
    </message>
    <message>
        <source>Play the in/out range (or the whole timeline) over and over</source>
        <translation>Lire la plage entrée/sortie (ou toute la timeline) en boucle</translation>
    </message>
    <message>
        <source>Add shots to the storyboard to preview them here.</source>
        <translation>Ajoutez des plans au storyboard pour les prévisualiser ici.</translation>
    </message>
    <message>
        <source>Pause (Space)</source>
        <translation>Pause (Espace)</translation>
    </message>
    <message>
        <source>Play (Space)</source>
        <translation>Lecture (Espace)</translation>
    </message>
    <message>
        <source>  in %1 out %2</source>
        <translation>  entrée %1 sortie %2</translation>
    </message>
    <message>
        <source>%1 · %2 s · %3 · %4</source>
        <translation>%1 · %2 s · %3 · %4</translation>
    </message>
</context>
<context>
    <name>storyreel::ui::RenderQueue</name>
    <message>
        <source>Shot %1</source>
        <translation>Plan %1</translation>
    </message>
    <message>
        <source>Not available: %1</source>
        <translation>Indisponible : %1</translation>
    </message>
    <message>
        <source>unknown preset</source>
        <translation>préréglage inconnu</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>En attente</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Annulation…</translation>
    </message>
    <message>
        <source>Rendering</source>
        <translation>Rendu en cours</translation>
    </message>
    <message>
        <source>frame %1 of %2 · %3 s left</source>
        <translation>image %1 sur %2 · %3 s restantes</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <source>the shot no longer exists</source>
        <translation>le plan n’existe plus</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <source>Done, not saved</source>
        <translation>Terminé, non enregistré</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Annulé</translation>
    </message>
    <message>
        <source>Starting</source>
        <translation>Démarrage</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>En file</translation>
    </message>
    <message>
        <source>Render failed</source>
        <translation>Rendu échoué</translation>
    </message>
    <message>
        <source>Rendering %1%</source>
        <translation>Rendu %1 %</translation>
    </message>
    <message>
        <source>estimating…</source>
        <translation>estimation…</translation>
    </message>
    <message>
        <source>about %1</source>
        <translation>environ %1</translation>
    </message>
    <message>
        <source>loading the models…</source>
        <translation>chargement des modèles…</translation>
    </message>
    <message>
        <source>reading the prompt and the image…</source>
        <translation>lecture du prompt et de l’image…</translation>
    </message>
    <message>
        <source>step %1 of %2 · %3 s left</source>
        <translation>étape %1 sur %2 · %3 s restantes</translation>
    </message>
    <message>
        <source>step %1 of %2</source>
        <translation>étape %1 sur %2</translation>
    </message>
    <message>
        <source>decoding the video…</source>
        <translation>décodage de la vidéo…</translation>
    </message>
</context>
<context>
    <name>storyreel::ui::RenderQueueView</name>
    <message>
        <source>Shot</source>
        <translation>Plan</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>Préréglage</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Progression</translation>
    </message>
    <message>
        <source>No renders queued.
Select shots and choose Render Take.</source>
        <translation>Aucun rendu en attente.
Sélectionnez des plans et choisissez Générer une prise.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Clear Finished</source>
        <translation>Effacer les terminés</translation>
    </message>
    <message>
        <source>Cancel the selected job, or every job when none is selected.</source>
        <translation>Annuler le rendu sélectionné, ou tous les rendus si aucun n’est sélectionné.</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Let the running job finish and start no other until resumed.</source>
        <translation>Laisser finir le rendu en cours et n’en démarrer aucun autre avant la reprise.</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>Monter</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>Descendre</translation>
    </message>
    <message>
        <source>Queue a failed or cancelled job again.</source>
        <translation>Remettre en file un rendu échoué ou annulé.</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reprendre</translation>
    </message>
</context>
<context>
    <name>storyreel::ui::ShortcutsDialog</name>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>Raccourci</translation>
    </message>
</context>
<context>
    <name>storyreel::ui::ShotCardDelegate</name>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source> · no take</source>
        <translation> · aucune prise</translation>
    </message>
    <message>
        <source> · takes: %1</source>
        <translation> · prises : %1</translation>
    </message>
</context>
<context>
    <name>storyreel::ui::ShotImporter</name>
    <message>
        <source>The pasted picture could not be saved.</source>
        <translation>L’image collée n’a pas pu être enregistrée.</translation>
    </message>
</context>
<context>
    <name>storyreel::ui::ShotInspector</name>
    <message>
        <source>Render Take</source>
        <translation>Générer une prise</translation>
    </message>
    <message>
        <source>Describe the motion: &quot;slow push in while the wind moves her hair&quot;</source>
        <translation>Décrivez le mouvement : « lent travelling avant pendant que le vent agite ses cheveux »</translation>
    </message>
    <message>
        <source>What to avoid (optional)</source>
        <translation>Ce qu’il faut éviter (facultatif)</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Image:</source>
        <translation>Image :</translation>
    </message>
    <message>
        <source>Motion prompt:</source>
        <translation>Mouvement :</translation>
    </message>
    <message>
        <source>Negative prompt:</source>
        <translation>Prompt négatif :</translation>
    </message>
    <message>
        <source>Preset:</source>
        <translation>Préréglage :</translation>
    </message>
    <message>
        <source>Duration:</source>
        <translation>Durée :</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>Graine :</translation>
    </message>
    <message>
        <source>Notes:</source>
        <translation>Notes :</translation>
    </message>
    <message>
        <source>No shot selected</source>
        <translation>Aucun plan sélectionné</translation>
    </message>
    <message>
        <source>%1 (missing)</source>
        <translation>%1 (manquante)</translation>
    </message>
    <message>
        <source>Render a new take of this shot with the %1 preset.</source>
        <translation>Générer une nouvelle prise de ce plan avec le préréglage %1.</translation>
    </message>
    <message>
        <source>Motion: %1</source>
        <translation>Mouvement : %1</translation>
    </message>
    <message>
        <source>Ignored: %1</source>
        <translation>Ignorés : %1</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Nouvelle</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>Garder</translation>
    </message>
    <message>
        <source>Draw a new random seed.</source>
        <translation>Tirer une nouvelle graine au hasard.</translation>
    </message>
    <message>
        <source>Keep this seed for every render of the shot; unticked, each render draws a new one (its take remembers it).</source>
        <translation>Garder cette graine pour chaque rendu du plan ; décoché, chaque rendu en tire une nouvelle (sa prise la garde en mémoire).</translation>
    </message>
    <message>
        <source>Advanced</source>
        <translation>Avancé</translation>
    </message>
    <message>
        <source>Project size</source>
        <translation>Taille du projet</translation>
    </message>
    <message>
        <source>Application setting</source>
        <translation>Réglage de l’application</translation>
    </message>
    <message>
        <source>Overrides the memory profile of Tools &gt; Models for this shot.</source>
        <translation>Remplace pour ce plan le profil mémoire d’Outils &gt; Modèles.</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>Taille :</translation>
    </message>
    <message>
        <source>Frame rate:</source>
        <translation>Cadence :</translation>
    </message>
    <message>
        <source>Steps:</source>
        <translation>Pas :</translation>
    </message>
    <message>
        <source>Guidance:</source>
        <translation>Guidage :</translation>
    </message>
    <message>
        <source>Shift:</source>
        <translation>Décalage :</translation>
    </message>
    <message>
        <source>Memory profile:</source>
        <translation>Profil mémoire :</translation>
    </message>
    <message>
        <source>Preset default (%1)</source>
        <translation>Défaut du préréglage (%1)</translation>
    </message>
    <message>
        <source>project size</source>
        <translation>taille du projet</translation>
    </message>
    <message>
        <source>%1 fps</source>
        <translation>%1 i/s</translation>
    </message>
    <message>
        <source>project rate</source>
        <translation>cadence du projet</translation>
    </message>
    <message>
        <source>The Animatic preset moves a camera; it has no denoising steps, guidance or GPU memory to set.</source>
        <translation>Le préréglage Animatique déplace une caméra ; il n’a ni pas de débruitage, ni guidage, ni mémoire GPU à régler.</translation>
    </message>
    <message>
        <source>The %1 preset cannot run: %2</source>
        <translation>Le préréglage %1 ne peut pas fonctionner : %2</translation>
    </message>
    <message>
        <source>The %1 preset is unknown to this version.</source>
        <translation>Le préréglage %1 est inconnu de cette version.</translation>
    </message>
</context>
<context>
    <name>storyreel::ui::ShotListModel</name>
    <message>
        <source>Shot %1</source>
        <translation>Plan %1</translation>
    </message>
    <message>
        <source>Image missing</source>
        <translation>Image manquante</translation>
    </message>
</context>
<context>
    <name>storyreel::ui::StoryboardView</name>
    <message>
        <source>Storyboard</source>
        <translation>Storyboard</translation>
    </message>
    <message>
        <source>Drop images, a folder of images or a CSV shot list here, or paste a picture (Ctrl+V).</source>
        <translation>Déposez ici des images, un dossier d’images ou une liste de plans CSV, ou collez une image (Ctrl+V).</translation>
    </message>
</context>
<context>
    <name>storyreel::ui::TakeCompareDialog</name>
    <message>
        <source>%1 · seed %2</source>
        <translation>%1 · graine %2</translation>
    </message>
    <message>
        <source>Loading both takes…</source>
        <translation>Chargement des deux prises…</translation>
    </message>
    <message>
        <source>Compare Takes</source>
        <translation>Comparer les prises</translation>
    </message>
    <message>
        <source>Use A</source>
        <translation>Garder A</translation>
    </message>
    <message>
        <source>Use B</source>
        <translation>Garder B</translation>
    </message>
    <message>
        <source>One of the takes cannot be read; its file may be missing.</source>
        <translation>L’une des prises est illisible ; son fichier manque peut-être.</translation>
    </message>
    <message>
        <source>Both takes play in step; the shorter one holds its last frame.</source>
        <translation>Les deux prises sont lues ensemble ; la plus courte reste sur sa dernière image.</translation>
    </message>
</context>
<context>
    <name>storyreel::ui::TakesView</name>
    <message>
        <source>Make Active</source>
        <translation>Rendre active</translation>
    </message>
    <message>
        <source>Compare A/B</source>
        <translation>Comparer A/B</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>Finish in Quality</source>
        <translation>Finaliser en Qualité</translation>
    </message>
    <message>
        <source>Continue from Last Frame</source>
        <translation>Continuer depuis la dernière image</translation>
    </message>
    <message>
        <source>Render this shot again with the Quality preset, the same image, prompt and the selected take&apos;s seed.</source>
        <translation>Générer à nouveau ce plan avec le préréglage Qualité, la même image, le même prompt et la graine de la prise choisie.</translation>
    </message>
    <message>
        <source>Add a shot after this one that starts from the last frame of the active take.</source>
        <translation>Ajouter après celui-ci un plan qui part de la dernière image de la prise active.</translation>
    </message>
    <message>
        <source> (active)</source>
        <translation> (active)</translation>
    </message>
    <message>
        <source>%1
Engine: %2
Seed: %3
Size: %4×%5, %6 frames at %7 fps
Rendered in %8 s on %9
%10</source>
        <translation>%1
Moteur : %2
Graine : %3
Taille : %4×%5, %6 images à %7 i/s
Générée en %8 s sur %9
%10</translation>
    </message>
    <message>
        <source>No takes yet: render the shot to make one.</source>
        <translation>Pas encore de prise : générez le plan pour en créer une.</translation>
    </message>
</context>
<context>
    <name>storyreel::ui::TimelineView</name>
    <message>
        <source>Timeline</source>
        <translation>Timeline</translation>
    </message>
    <message>
        <source>Shots appear here in order once added.</source>
        <translation>Les plans apparaissent ici dans l’ordre une fois ajoutés.</translation>
    </message>
    <message>
        <source>%1 · %2 s</source>
        <translation>%1 · %2 s</translation>
    </message>
    <message>
        <source>Cut from the Previous Shot</source>
        <translation>Coupe franche depuis le plan précédent</translation>
    </message>
    <message>
        <source>Crossfade from the Previous Shot (%1 s)</source>
        <translation>Fondu enchaîné depuis le plan précédent (%1 s)</translation>
    </message>
    <message>
        <source>Reset Trims</source>
        <translation>Réinitialiser les coupes</translation>
    </message>
</context>
</TS>
